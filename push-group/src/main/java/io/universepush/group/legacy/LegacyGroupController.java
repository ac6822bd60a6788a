package io.universepush.group.legacy;

import io.universepush.group.chat.SingleChat;
import io.universepush.group.group.Groups;
import io.universepush.group.limits.Limit;
import io.universepush.group.limits.RateLimited;
import io.universepush.group.message.GroupMessages;
import io.universepush.group.system.ApiException;
import io.universepush.rpc.group.GroupResultCode;
import io.universepush.store.device.DeviceStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * universe_push's group and chat endpoints, answered {@code {"code":..,"message":..}} with HTTP 200 whatever the code,
 * as push-api's legacy endpoints are. Legacy devices live in the reserved app {@code legacy} and are addressed by
 * their token; a legacy group is named by its clients and created on first join (group id {@code legacy.<name>}).
 * No credentials, as in universe_push; rate limited under the app id {@code legacy}.
 *
 * <p>Codes: 200 ok; 10001 token is empty; 10002 message is empty; 10004 message too large; 10005 group is empty or
 * malformed; 20001 send failed (recipient offline, for sendToSingle, which is online-only as universe_push's pushes
 * were); 20002 not a member; 20003 no such group; 20004 token unknown.
 */
@RestController
@LegacyEndpoints
public class LegacyGroupController {
  public static final String LEGACY_APP_ID = "legacy";
  static final String GROUP_PREFIX = "legacy.";

  static final int OK = 200;
  static final int TOKEN_EMPTY = 10001;
  static final int MESSAGE_EMPTY = 10002;
  static final int MESSAGE_TOO_LARGE = 10004;
  static final int GROUP_EMPTY = 10005;
  static final int SEND_FAILED = 20001;
  static final int NOT_A_MEMBER = 20002;
  static final int GROUP_NOT_FOUND = 20003;
  static final int TOKEN_UNKNOWN = 20004;

  private static final Pattern GROUP_NAME = Pattern.compile("[0-9A-Za-z_-]{1,64}");

  public record Result(int code, String message) {}

  public record Sent(int code, String message, long seq) {}

  private final DeviceStore devices;
  private final Groups groups;
  private final GroupMessages groupMessages;
  private final SingleChat chat;

  public LegacyGroupController(
      DeviceStore devices, Groups groups, GroupMessages groupMessages, SingleChat chat) {
    this.devices = devices;
    this.groups = groups;
    this.groupMessages = groupMessages;
    this.chat = chat;
  }

  @RequestMapping(
      path = "/group/joinGroup",
      method = {RequestMethod.GET, RequestMethod.POST})
  @RateLimited(value = Limit.WRITE, legacy = true)
  public Result joinGroup(
      @RequestParam(required = false) String token, @RequestParam(required = false) String group) {
    Device device = device(token, group);
    if (device.refused() != null) {
      return device.refused();
    }
    String groupId = GROUP_PREFIX + group;
    return refusal(
        () -> {
          groups.findOrCreateNamed(LEGACY_APP_ID, groupId);
          groups.joinRegIds(LEGACY_APP_ID, groupId, List.of(device.regId()));
          return new Result(OK, "ok");
        });
  }

  @RequestMapping(
      path = "/group/quitGroup",
      method = {RequestMethod.GET, RequestMethod.POST})
  @RateLimited(value = Limit.WRITE, legacy = true)
  public Result quitGroup(
      @RequestParam(required = false) String token, @RequestParam(required = false) String group) {
    Device device = device(token, group);
    if (device.refused() != null) {
      return device.refused();
    }
    return groups.leave(LEGACY_APP_ID, GROUP_PREFIX + group, device.regId())
        ? new Result(OK, "ok")
        : new Result(NOT_A_MEMBER, "not a member of group " + group);
  }

  /** {@code token}: the sending device's (optional: the app server). */
  @RequestMapping(
      path = "/message/sendToGroup",
      method = {RequestMethod.GET, RequestMethod.POST})
  public Sent sendToGroup(
      @RequestParam(required = false) String group,
      @RequestParam(required = false) String message,
      @RequestParam(required = false) String token) {
    Result invalid = checkGroup(group);
    if (invalid == null) {
      invalid = checkMessage(message);
    }
    String from = "";
    if (invalid == null && token != null && !token.isBlank()) {
      Optional<String> regId = devices.resolveLegacyToken(token.trim());
      if (regId.isEmpty()) {
        invalid = new Result(TOKEN_UNKNOWN, "token unknown");
      } else {
        from = regId.get();
      }
    }
    if (invalid != null) {
      return new Sent(invalid.code(), invalid.message(), 0);
    }
    String sender = from;
    try {
      GroupMessages.Sent sent =
          groupMessages.send(
              LEGACY_APP_ID, GROUP_PREFIX + group, sender, message.getBytes(StandardCharsets.UTF_8), null);
      return new Sent(OK, "push success", sent.seq());
    } catch (ApiException e) {
      Result refused = legacy(e);
      return new Sent(refused.code(), refused.message(), 0);
    }
  }

  /** {@code token}: the recipient's; {@code from}: the sender's token (optional). Online only. */
  @RequestMapping(
      path = "/message/sendToSingle",
      method = {RequestMethod.GET, RequestMethod.POST})
  public Result sendToSingle(
      @RequestParam(required = false) String token,
      @RequestParam(required = false) String message,
      @RequestParam(required = false) String from) {
    if (token == null || token.isBlank()) {
      return new Result(TOKEN_EMPTY, "token is empty");
    }
    Result invalid = checkMessage(message);
    if (invalid != null) {
      return invalid;
    }
    Optional<String> to = devices.resolveLegacyToken(token.trim());
    Optional<String> sender =
        from == null || from.isBlank() ? Optional.of("") : devices.resolveLegacyToken(from.trim());
    if (to.isEmpty() || sender.isEmpty()) {
      return new Result(TOKEN_UNKNOWN, "token unknown");
    }
    return refusal(
        () -> {
          SingleChat.Sent sent =
              chat.send(LEGACY_APP_ID, sender.get(), to.get(), message.getBytes(StandardCharsets.UTF_8), 0L);
          return sent.delivered() == SingleChat.Delivered.ONLINE
              ? new Result(OK, "push success")
              : new Result(SEND_FAILED, "push failed: device offline");
        });
  }

  /** The device a join or quit names by its token, or the answer refusing the request. */
  private record Device(String regId, Result refused) {}

  private Device device(String token, String group) {
    Result invalid = checkGroup(group);
    if (invalid != null) {
      return new Device(null, invalid);
    }
    if (token == null || token.isBlank()) {
      return new Device(null, new Result(TOKEN_EMPTY, "token is empty"));
    }
    Optional<String> regId = devices.resolveLegacyToken(token.trim());
    return regId.isEmpty()
        ? new Device(null, new Result(TOKEN_UNKNOWN, "token unknown"))
        : new Device(regId.get(), null);
  }

  private static Result refusal(java.util.function.Supplier<Result> action) {
    try {
      return action.get();
    } catch (ApiException e) {
      return legacy(e);
    }
  }

  private static Result legacy(ApiException e) {
    GroupResultCode code = e.result();
    int legacyCode =
        switch (code) {
          case NOT_A_MEMBER -> NOT_A_MEMBER;
          case GROUP_NOT_FOUND -> GROUP_NOT_FOUND;
          case TOO_LARGE -> MESSAGE_TOO_LARGE;
          case RATE_LIMITED -> 429;
          case RECIPIENT_NOT_FOUND -> TOKEN_UNKNOWN;
          default -> SEND_FAILED;
        };
    return new Result(legacyCode, e.getMessage());
  }

  private static Result checkGroup(String group) {
    if (group == null || group.isBlank()) {
      return new Result(GROUP_EMPTY, "group is empty");
    }
    if (!GROUP_NAME.matcher(group).matches()) {
      return new Result(GROUP_EMPTY, "group is invalid: 1 to 64 letters, digits, '_' or '-'");
    }
    return null;
  }

  private static Result checkMessage(String message) {
    if (message == null || message.isBlank()) {
      return new Result(MESSAGE_EMPTY, "message is empty");
    }
    return null;
  }
}
