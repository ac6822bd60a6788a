package io.universepush.api.push;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.universepush.api.auth.AuthenticatedApp;
import io.universepush.api.limits.Limit;
import io.universepush.api.limits.RateLimited;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class PushController {
  private final PushService pushes;

  public PushController(PushService pushes) {
    this.pushes = pushes;
  }

  @Operation(
      summary = "Push a message to devices of the app",
      description =
          "Audience: reg_ids, aliases, tags, all, or a combination. Durable when ttl > 0 (stored before the answer,"
              + " delivered on connect); ttl 0 reaches only devices online now. 400 invalid_field names the bad"
              + " field; 404 unknown_audience when no device matches a unicast-only audience; 413 payload_too_large"
              + " over the payload limit. accepted = unicast targets + the fan-out estimate (docs/API.md).",
      security = @SecurityRequirement(name = "app"))
  @PostMapping("/v1/push")
  @RateLimited(Limit.PUSH)
  public PushAccepted push(
      AuthenticatedApp app,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content = @Content(schema = @Schema(implementation = PushRequest.class)))
          @RequestBody
          JsonNode request) {
    return pushes.push(app.appId(), request);
  }
}
