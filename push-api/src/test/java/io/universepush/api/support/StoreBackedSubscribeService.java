package io.universepush.api.support;

import io.universepush.rpc.subscribe.AuthOutcome;
import io.universepush.rpc.subscribe.AuthResult;
import io.universepush.rpc.subscribe.ConnectorEndpoint;
import io.universepush.rpc.subscribe.LegacySubscription;
import io.universepush.rpc.subscribe.RegisterRequest;
import io.universepush.rpc.subscribe.Registration;
import io.universepush.rpc.subscribe.SubscribeService;
import io.universepush.store.StoreUnavailableException;
import io.universepush.store.app.AppStore;
import io.universepush.store.device.DeviceRegistration;
import io.universepush.store.device.DeviceStore;
import io.universepush.store.node.ConnectorNode;
import io.universepush.store.node.NodeDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.dubbo.rpc.RpcException;

/**
 * A SubscribeService over the real Redis stores and ZooKeeper directory, standing in for push-subscribe (services
 * never import each other). Like push-subscribe, it answers a store outage with an RpcException.
 */
public final class StoreBackedSubscribeService implements SubscribeService {
  private final AppStore apps;
  private final DeviceStore devices;
  private final NodeDirectory nodes;

  public StoreBackedSubscribeService(AppStore apps, DeviceStore devices, NodeDirectory nodes) {
    this.apps = apps;
    this.devices = devices;
    this.nodes = nodes;
  }

  @Override
  public Registration register(RegisterRequest request) {
    return guarded(
        () -> {
          if (apps.find(request.getAppId()).isEmpty()) {
            throw new IllegalArgumentException("unknown app: " + request.getAppId());
          }
          DeviceRegistration registration =
              devices.register(request.getAppId(), request.getPlatform(), request.getAlias(), request.getTags());
          return new Registration(request.getAppId(), registration.device().regId(), registration.token());
        });
  }

  @Override
  public AuthResult authenticate(String appId, String regId, String token) {
    return guarded(
        () ->
            devices.verifyToken(appId, regId, token)
                ? new AuthResult(AuthOutcome.ACCEPTED, null)
                : new AuthResult(AuthOutcome.BAD_TOKEN, null));
  }

  @Override
  public List<ConnectorEndpoint> route(String appId, String regId) {
    return new ArrayList<>(
        nodes.liveNodes().stream().map(StoreBackedSubscribeService::endpoint).toList());
  }

  /** As push-subscribe's ConnectorRouter describes a node. */
  private static ConnectorEndpoint endpoint(ConnectorNode n) {
    ConnectorEndpoint endpoint =
        new ConnectorEndpoint(
            n.nodeId(), n.host(), n.tcpPort(), n.wsPort(), n.mqttPort(), n.connections(), n.weight());
    endpoint.setTlsPort(n.tlsPort());
    return endpoint;
  }

  @Override
  public LegacySubscription subscribeLegacy(String uid) {
    return guarded(
        () -> {
          DeviceRegistration registration = devices.subscribeLegacy("legacy", uid);
          return new LegacySubscription("legacy", registration.device().regId(), registration.token());
        });
  }

  @Override
  public String resolveLegacyToken(String token) {
    return guarded(() -> devices.resolveLegacyToken(token).orElse(null));
  }

  private static <T> T guarded(Supplier<T> action) {
    try {
      return action.get();
    } catch (StoreUnavailableException e) {
      throw new RpcException("store unavailable: " + e.getMessage());
    }
  }
}
