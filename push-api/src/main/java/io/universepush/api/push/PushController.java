package io.universepush.api.push;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.universepush.api.auth.AuthenticatedApp;
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
          "Durable when ttl > 0 (stored before the answer, delivered on connect); ttl 0 reaches only devices online"
              + " now. 404 unknown_audience when no device matches; 413 payload_too_large over the payload limit.",
      security = @SecurityRequirement(name = "app"))
  @PostMapping("/v1/push")
  public PushAccepted push(AuthenticatedApp app, @RequestBody PushRequest request) {
    return pushes.push(app.appId(), request);
  }
}
