package io.universepush.api.message;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.universepush.api.auth.AuthenticatedApp;
import io.universepush.api.limits.Limit;
import io.universepush.api.limits.RateLimited;
import io.universepush.api.message.MessageOwners.Owner;
import io.universepush.api.system.ApiException;
import io.universepush.store.message.MessageStats;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class MessageController {
  private static final Pattern MESSAGE_ID = Pattern.compile("[0-9a-f]{32}");

  private final MessageOwners owners;
  private final MessageStats stats;

  public MessageController(MessageOwners owners, MessageStats stats) {
    this.owners = owners;
    this.stats = stats;
  }

  @Operation(
      summary = "Delivery counters of a message sent by this app",
      description =
          "targets, sent, delivered (acked), pending, expired. For tag and app-wide pushes, targets is an estimate"
              + " and sent/delivered/expired are what the connectors report. See docs/API.md.",
      security = @SecurityRequirement(name = "app"))
  @GetMapping("/v1/messages/{msgId}")
  @RateLimited(Limit.READ)
  public MessageStatus status(AuthenticatedApp app, @PathVariable String msgId) {
    if (!MESSAGE_ID.matcher(msgId).matches()) {
      throw ApiException.notFound("no message " + msgId);
    }
    // Another app's message is as unknown as a message that never existed.
    Owner owner =
        owners
            .owner(msgId)
            .filter(o -> o.appId().equals(app.appId()))
            .orElseThrow(() -> ApiException.notFound("no message " + msgId));
    Map<String, Long> counters = stats.counters(msgId);
    if (counters.isEmpty()) {
      throw ApiException.notFound("no message " + msgId);
    }
    return MessageStatus.of(msgId, owner, counters, System.currentTimeMillis());
  }
}
