package io.universepush.group.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.universepush.group.auth.AuthenticatedApp;
import io.universepush.group.message.Payloads;
import java.util.Locale;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Single chat: one message to one device, stored and delivered like a unicast push. */
@RestController
public class ChatController {
  private final SingleChat chat;
  private final Payloads payloads;

  public ChatController(SingleChat chat, Payloads payloads) {
    this.chat = chat;
    this.payloads = payloads;
  }

  public record Chat(String from, String to, JsonNode message, Long ttl) {}

  public record ChatAnswer(String msgId, String to, String delivered) {}

  @PostMapping("/v1/chat")
  public ChatAnswer send(AuthenticatedApp app, @RequestBody Chat body) {
    if (body.to() == null || body.to().isEmpty()) {
      throw io.universepush.group.system.ApiException.invalidField("to", "is required");
    }
    byte[] payload = payloads.fromJson(body.message());
    SingleChat.Sent sent = chat.send(app.appId(), body.from(), body.to(), payload, body.ttl());
    return new ChatAnswer(sent.msgId(), sent.regId(), sent.delivered().name().toLowerCase(Locale.ROOT));
  }
}
