package io.universepush.api.device;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.universepush.api.auth.AuthenticatedApp;
import io.universepush.api.auth.Caller;
import io.universepush.api.auth.DeviceAccess;
import io.universepush.api.auth.OpenRegistration;
import io.universepush.api.device.DeviceDtos.Connector;
import io.universepush.api.device.DeviceDtos.Connectors;
import io.universepush.api.device.DeviceDtos.DeviceRegistered;
import io.universepush.api.device.DeviceDtos.DeviceView;
import io.universepush.api.device.DeviceDtos.RegisterDeviceRequest;
import io.universepush.api.device.DeviceDtos.UpdateDeviceRequest;
import io.universepush.api.limits.Limit;
import io.universepush.api.limits.RateLimited;
import io.universepush.api.system.ApiException;
import io.universepush.rpc.subscribe.ConnectorEndpoint;
import io.universepush.rpc.subscribe.RegisterRequest;
import io.universepush.rpc.subscribe.Registration;
import io.universepush.rpc.subscribe.SubscribeService;
import io.universepush.store.device.Device;
import io.universepush.store.device.DeviceStore;
import io.universepush.store.route.Route;
import io.universepush.store.route.RouteStore;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The app's devices. A reg id of another app is answered exactly like one that does not exist. The app's server
 * (app secret) may do everything here; a device registers with the app id alone when its app allows it, and with its
 * own credentials reads its route and updates itself, nothing more.
 */
@RestController
public class DeviceController {
  private static final Logger log = LoggerFactory.getLogger(DeviceController.class);

  private final SubscribeService subscribe;
  private final DeviceStore devices;
  private final RouteStore routes;
  private final DeviceRemoval removal;

  public DeviceController(
      SubscribeService subscribe, DeviceStore devices, RouteStore routes, DeviceRemoval removal) {
    this.subscribe = subscribe;
    this.devices = devices;
    this.routes = routes;
    this.removal = removal;
  }

  @Operation(
      summary = "Register a device",
      description =
          "Answers the reg id, the device token (shown only here) and the connectors to use. A device sends"
              + " X-App-Id alone (open registration, unless the app switched it off); the app's server may send its"
              + " Basic credentials instead.",
      security = {@SecurityRequirement(name = "appId"), @SecurityRequirement(name = "app")})
  @PostMapping("/v1/devices")
  @OpenRegistration
  @RateLimited(Limit.REGISTRATION)
  public ResponseEntity<DeviceRegistered> register(Caller app, @RequestBody RegisterDeviceRequest body) {
    if (body == null) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "bad_json", "a JSON request body is required");
    }
    String platform = DeviceFields.platform(body.platform());
    String alias = DeviceFields.alias(body.alias());
    Set<String> tags = DeviceFields.tags(body.tags());
    Registration registration;
    try {
      registration = subscribe.register(new RegisterRequest(app.appId(), platform, alias, tags));
    } catch (IllegalArgumentException e) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_field", e.getMessage());
    }
    List<Connector> connectors = routeQuietly(app.appId(), registration.getRegId());
    return ResponseEntity.created(URI.create("/v1/devices/" + registration.getRegId()))
        .body(new DeviceRegistered(registration.getRegId(), registration.getToken(), connectors));
  }

  @Operation(summary = "A device and whether it is online", security = @SecurityRequirement(name = "app"))
  @GetMapping("/v1/devices/{regId}")
  @RateLimited(Limit.READ)
  public DeviceView device(AuthenticatedApp app, @PathVariable String regId) {
    return view(app.appId(), find(app.appId(), regId));
  }

  @Operation(
      summary = "Set a device's platform, alias and tags",
      description = "The app's server for any device of the app; a device, with its own credentials, for itself.",
      security = {@SecurityRequirement(name = "app"), @SecurityRequirement(name = "device")})
  @PutMapping("/v1/devices/{regId}")
  @DeviceAccess
  @RateLimited(Limit.REGISTRATION)
  public DeviceView update(Caller app, @PathVariable String regId, @RequestBody UpdateDeviceRequest body) {
    app.checkActsOn(regId);
    if (body == null) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "bad_json", "a JSON request body is required");
    }
    Device current = find(app.appId(), regId);
    String platform = body.platform() == null ? null : DeviceFields.platform(body.platform());
    String alias = body.alias() == null ? current.alias() : DeviceFields.alias(body.alias());
    Set<String> tags = body.tags() == null ? current.tags() : DeviceFields.tags(body.tags());
    Device updated =
        devices.update(app.appId(), regId, platform, alias, tags).orElseThrow(() -> notFound(regId));
    return view(app.appId(), updated);
  }

  @Operation(
      summary = "Delete a device",
      description = "Its pending messages are dropped and its session, if any, is closed.",
      security = @SecurityRequirement(name = "app"))
  @DeleteMapping("/v1/devices/{regId}")
  @RateLimited(Limit.REGISTRATION)
  public ResponseEntity<Void> delete(AuthenticatedApp app, @PathVariable String regId) {
    find(app.appId(), regId);
    removal.remove(app.appId(), List.of(regId), "device deleted");
    return ResponseEntity.noContent().build();
  }

  @Operation(
      summary = "The connectors a device should connect to, least loaded first",
      description = "The app's server for any device of the app; a device, with its own credentials, for itself.",
      security = {@SecurityRequirement(name = "app"), @SecurityRequirement(name = "device")})
  @GetMapping("/v1/route")
  @DeviceAccess
  @RateLimited(Limit.READ)
  public Connectors route(Caller app, @RequestParam("reg_id") String regId) {
    app.checkActsOn(regId);
    find(app.appId(), regId);
    return new Connectors(Connector.of(subscribe.route(app.appId(), regId)));
  }

  private Device find(String appId, String regId) {
    if (regId.isEmpty() || regId.length() > 64) {
      throw notFound(regId);
    }
    return devices.find(appId, regId).orElseThrow(() -> notFound(regId));
  }

  private DeviceView view(String appId, Device device) {
    Optional<Route> route = routes.find(device.regId()).filter(r -> appId.equals(r.appId()));
    return new DeviceView(
        device.regId(),
        device.platform(),
        device.alias(),
        device.tags(),
        route.isPresent(),
        route.map(Route::nodeId).orElse(null),
        route.map(r -> Instant.ofEpochMilli(r.connectedAtMs())).orElse(null),
        lastSeen(device.regId()),
        device.createdAtMs() > 0 ? Instant.ofEpochMilli(device.createdAtMs()) : null);
  }

  private Instant lastSeen(String regId) {
    OptionalLong seen = routes.lastSeen(regId);
    return seen.isPresent() ? Instant.ofEpochMilli(seen.getAsLong()) : null;
  }

  /** The device exists once registered: its token must reach the caller even if routing fails right now. */
  private List<Connector> routeQuietly(String appId, String regId) {
    try {
      List<ConnectorEndpoint> endpoints = subscribe.route(appId, regId);
      return Connector.of(endpoints);
    } catch (RuntimeException e) {
      log.warn("registered {} but could not route it: {}", regId, e.toString());
      return List.of();
    }
  }

  private static ApiException notFound(String regId) {
    return ApiException.notFound("no device " + regId + " in this app");
  }
}
