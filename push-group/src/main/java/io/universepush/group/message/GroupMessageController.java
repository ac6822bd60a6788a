package io.universepush.group.message;

import com.fasterxml.jackson.databind.JsonNode;
import io.universepush.group.auth.AuthenticatedApp;
import io.universepush.group.limits.Limit;
import io.universepush.group.limits.RateLimited;
import io.universepush.rpc.group.GroupMessage;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Sending to a group and reading its history. Sends are rate limited in {@link SendRules}, Dubbo's too. */
@RestController
public class GroupMessageController {
  private final GroupMessages messages;
  private final Payloads payloads;

  public GroupMessageController(GroupMessages messages, Payloads payloads) {
    this.messages = messages;
    this.payloads = payloads;
  }

  public record Send(String from, JsonNode message, Long ttl) {}

  public record SendAnswer(String groupId, long seq, String msgId) {}

  public record HistoryMessage(long seq, String msgId, String from, JsonNode message, long sentAt) {}

  public record History(
      String groupId, List<HistoryMessage> messages, long topSeq, long nextAfterSeq, boolean recovered) {}

  @PostMapping("/v1/groups/{groupId}/messages")
  public SendAnswer send(AuthenticatedApp app, @PathVariable String groupId, @RequestBody Send body) {
    byte[] payload = payloads.fromJson(body.message());
    GroupMessages.Sent sent = messages.send(app.appId(), groupId, body.from(), payload, body.ttl());
    return new SendAnswer(sent.groupId(), sent.seq(), sent.msgId());
  }

  @GetMapping("/v1/groups/{groupId}/messages")
  @RateLimited(Limit.READ)
  public History history(
      AuthenticatedApp app,
      @PathVariable String groupId,
      @RequestParam(name = "after_seq", defaultValue = "0") long afterSeq,
      @RequestParam(name = "limit", defaultValue = "50") int limit) {
    GroupMessages.Page page = messages.history(app.appId(), groupId, afterSeq, limit);
    List<HistoryMessage> out = new ArrayList<>(page.messages().size());
    for (GroupMessage m : page.messages()) {
      out.add(
          new HistoryMessage(
              m.getSeq(),
              m.getMsgId(),
              m.getFrom() == null || m.getFrom().isEmpty() ? null : m.getFrom(),
              payloads.toJson(m.getPayload()),
              m.getSentAtMs()));
    }
    return new History(groupId, out, page.topSeq(), page.nextAfterSeq(), page.recovered());
  }
}
