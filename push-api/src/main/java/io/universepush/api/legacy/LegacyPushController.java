package io.universepush.api.legacy;

import static io.universepush.api.legacy.LegacyResponses.MESSAGE_EMPTY;
import static io.universepush.api.legacy.LegacyResponses.MESSAGE_TOO_LARGE;
import static io.universepush.api.legacy.LegacyResponses.OK;
import static io.universepush.api.legacy.LegacyResponses.PUSH_FAILED;
import static io.universepush.api.legacy.LegacyResponses.TOKENS_INVALID;
import static io.universepush.api.legacy.LegacyResponses.TOKEN_EMPTY;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.universepush.api.legacy.LegacyResponses.BatchResult;
import io.universepush.api.legacy.LegacyResponses.Result;
import io.universepush.api.limits.Limit;
import io.universepush.api.limits.RateLimited;
import io.universepush.api.push.PushService;
import io.universepush.api.system.ApiProperties;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** universe_push's push endpoints, for app servers written against it. */
@RestController
@LegacyEndpoints
@Tag(name = "legacy", description = "universe_push compatible endpoints")
public class LegacyPushController {
  static final int MAX_TOKENS = 1000;

  private final LegacyPushes pushes;
  private final PushService broadcasts;
  private final int maxMessageBytes;

  public LegacyPushController(LegacyPushes pushes, PushService broadcasts, ApiProperties properties) {
    this.pushes = pushes;
    this.broadcasts = broadcasts;
    this.maxMessageBytes = properties.push().maxPayloadBytes();
  }

  @Operation(summary = "Push text to one universe_push token (device online now only)")
  @RequestMapping(
      path = "/push/sendByToken",
      method = {RequestMethod.GET, RequestMethod.POST})
  @RateLimited(value = Limit.PUSH, legacy = true)
  public Result sendByToken(
      @RequestParam(required = false) String token, @RequestParam(required = false) String message) {
    if (token == null || token.isBlank()) {
      return new Result(TOKEN_EMPTY, "token is empty");
    }
    Result invalid = checkMessage(message);
    if (invalid != null) {
      return invalid;
    }
    boolean written = pushes.send(List.of(token), message).getOrDefault(token, false);
    return written ? new Result(OK, "ok") : new Result(PUSH_FAILED, "push failed: token unknown or device offline");
  }

  @Operation(summary = "Push text to comma-separated universe_push tokens")
  @RequestMapping(
      path = "/push/sendByTokens",
      method = {RequestMethod.GET, RequestMethod.POST})
  @RateLimited(value = Limit.PUSH, legacy = true)
  public BatchResult sendByTokens(
      @RequestParam(required = false) String tokens, @RequestParam(required = false) String message) {
    List<String> list =
        tokens == null
            ? List.of()
            : Arrays.stream(tokens.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    return sendToTokens(list, message);
  }

  /** The JSON form: {@code {"message":"..","tokens":["..",".."]}}. */
  public record TokensPush(String message, List<String> tokens) {}

  @Operation(summary = "Push text to universe_push tokens, JSON body {\"message\",\"tokens\":[..]}")
  @PostMapping(path = "/push/sendByTokens", consumes = MediaType.APPLICATION_JSON_VALUE)
  @RateLimited(value = Limit.PUSH, legacy = true)
  public BatchResult sendByTokensJson(@RequestBody TokensPush body) {
    List<String> list =
        body.tokens() == null
            ? List.of()
            : body.tokens().stream().filter(t -> t != null && !t.isBlank()).map(String::trim).toList();
    return sendToTokens(list, body.message());
  }

  @Operation(
      summary = "Push text to every connected universe_push device",
      description =
          "The text is ?message= (or a form field), else the raw POST body. Online only, as in universe_push: one"
              + " event to every connector, nothing stored.")
  @RequestMapping(
      path = "/push/sendToAll",
      method = {RequestMethod.GET, RequestMethod.POST})
  @RateLimited(value = Limit.PUSH, legacy = true)
  public Result sendToAll(
      @RequestParam(required = false) String message, @RequestBody(required = false) String body) {
    String text = message != null && !message.isEmpty() ? message : body;
    Result invalid = checkMessage(text);
    if (invalid != null) {
      return invalid;
    }
    broadcasts.pushToAll(LegacyPushes.LEGACY_APP_ID, text.getBytes(StandardCharsets.UTF_8), 0);
    return new Result(OK, "push success");
  }

  private BatchResult sendToTokens(List<String> tokens, String message) {
    Result invalid = checkMessage(message);
    if (invalid != null) {
      return new BatchResult(invalid.code(), invalid.message(), List.of(), List.of());
    }
    if (tokens.isEmpty()) {
      return new BatchResult(TOKEN_EMPTY, "tokens is empty", List.of(), List.of());
    }
    if (tokens.size() > MAX_TOKENS) {
      String problem = "tokens is invalid: at most " + MAX_TOKENS + " tokens";
      return new BatchResult(TOKENS_INVALID, problem, List.of(), List.of());
    }
    Map<String, Boolean> written = pushes.send(tokens, message);
    List<String> success = new ArrayList<>();
    List<String> fail = new ArrayList<>();
    written.forEach((token, ok) -> (ok ? success : fail).add(token));
    return success.isEmpty()
        ? new BatchResult(PUSH_FAILED, "push failed", success, fail)
        : new BatchResult(OK, "push success", success, fail);
  }

  private Result checkMessage(String message) {
    if (message == null || message.isBlank()) {
      return new Result(MESSAGE_EMPTY, "message is empty");
    }
    if (message.getBytes(StandardCharsets.UTF_8).length > maxMessageBytes) {
      return new Result(MESSAGE_TOO_LARGE, "message is larger than " + maxMessageBytes + " bytes");
    }
    return null;
  }
}
