package io.universepush.api.app;

import static io.universepush.api.system.ApiException.invalidField;

import io.swagger.v3.oas.annotations.Operation;
import io.universepush.api.app.AppDtos.AppDeleted;
import io.universepush.api.app.AppDtos.AppList;
import io.universepush.api.app.AppDtos.AppName;
import io.universepush.api.app.AppDtos.AppPatch;
import io.universepush.api.app.AppDtos.AppSecret;
import io.universepush.api.app.AppDtos.AppView;
import io.universepush.api.device.DeviceRemoval;
import io.universepush.api.system.ApiException;
import io.universepush.store.app.App;
import io.universepush.store.app.AppCredentials;
import io.universepush.store.app.AppStore;
import io.universepush.store.device.DeviceStore;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** App administration; served on the admin listener only (see {@code ListenerSeparationFilter}). */
@RestController
public class AppController {
  static final int MAX_NAME_LENGTH = 128;

  private final AppStore apps;
  private final DeviceStore devices;
  private final DeviceRemoval removal;

  public AppController(AppStore apps, DeviceStore devices, DeviceRemoval removal) {
    this.apps = apps;
    this.devices = devices;
    this.removal = removal;
  }

  @Operation(
      summary = "Create an app (admin listener)",
      description =
          "The secret is shown only in this answer. open_registration (default true): devices may register with"
              + " the app id alone.")
  @PostMapping("/v1/apps")
  public ResponseEntity<AppSecret> create(@RequestBody AppName body) {
    AppCredentials credentials = apps.create(name(required(body).name()));
    if (Boolean.FALSE.equals(body.openRegistration())) {
      // Nobody knows the new id yet, so it is never open to anyone in between.
      App closed = apps.setOpenRegistration(credentials.app().appId(), false).orElseThrow();
      credentials = new AppCredentials(closed, credentials.secret());
    }
    AppSecret created = AppSecret.of(credentials);
    return ResponseEntity.created(URI.create("/v1/apps/" + created.appId())).body(created);
  }

  @Operation(summary = "List apps (admin listener)")
  @GetMapping("/v1/apps")
  public AppList list() {
    return new AppList(apps.list().stream().map(AppView::of).toList());
  }

  @Operation(summary = "One app (admin listener)")
  @GetMapping("/v1/apps/{appId}")
  public AppView app(@PathVariable String appId) {
    return apps.find(appId).map(AppView::of).orElseThrow(() -> notFound(appId));
  }

  @Operation(summary = "Rename an app (admin listener)")
  @PutMapping("/v1/apps/{appId}")
  public AppView rename(@PathVariable String appId, @RequestBody AppName body) {
    return apps.rename(appId, name(required(body).name()))
        .map(AppView::of)
        .orElseThrow(() -> notFound(appId));
  }

  @Operation(
      summary = "Change an app's name or open registration (admin listener)",
      description =
          "{\"open_registration\": false} stops devices from registering with the app id alone (403"
              + " registration_closed); the app's server still registers them with its secret.")
  @PatchMapping("/v1/apps/{appId}")
  public AppView patch(@PathVariable String appId, @RequestBody AppPatch body) {
    required(body);
    if (body.name() == null && body.openRegistration() == null) {
      throw invalidField("open_registration", "give open_registration (true or false) or name");
    }
    String name = body.name() == null ? null : name(body.name());
    if (apps.find(appId).isEmpty()) {
      throw notFound(appId);
    }
    if (name != null) {
      apps.rename(appId, name).orElseThrow(() -> notFound(appId));
    }
    if (body.openRegistration() != null) {
      apps.setOpenRegistration(appId, body.openRegistration()).orElseThrow(() -> notFound(appId));
    }
    return apps.find(appId).map(AppView::of).orElseThrow(() -> notFound(appId));
  }

  @Operation(
      summary = "Rotate an app's secret (admin listener)",
      description = "The old secret stops working at once; the new one is shown only in this answer.")
  @PostMapping("/v1/apps/{appId}/secret")
  public AppSecret rotateSecret(@PathVariable String appId) {
    return apps.rotateSecret(appId).map(AppSecret::of).orElseThrow(() -> notFound(appId));
  }

  @Operation(
      summary = "Delete an app (admin listener)",
      description = "Its devices are deleted and the sessions of those online are closed.")
  @DeleteMapping("/v1/apps/{appId}")
  public AppDeleted delete(@PathVariable String appId) {
    if (apps.find(appId).isEmpty()) {
      throw notFound(appId);
    }
    // The app goes first, so no new device can register while the old ones are being removed.
    apps.delete(appId);
    DeviceRemoval.Removed removed = removal.remove(appId, devices.regIdsOfApp(appId), "app deleted");
    return new AppDeleted(appId, removed.devices(), removed.sessionsClosed());
  }

  private static <T> T required(T body) {
    if (body == null) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "bad_json", "a JSON request body is required");
    }
    return body;
  }

  private static String name(String given) {
    String name = given == null ? "" : given.strip();
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      throw invalidField("name", "must be 1 to " + MAX_NAME_LENGTH + " characters");
    }
    if (name.chars().anyMatch(Character::isISOControl)) {
      throw invalidField("name", "must not contain control characters");
    }
    return name;
  }

  private static ApiException notFound(String appId) {
    return ApiException.notFound("no app " + appId);
  }
}
