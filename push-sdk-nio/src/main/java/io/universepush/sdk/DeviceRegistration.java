package io.universepush.sdk;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A registered device: its reg id, its token (shown by the server only once: keep it) and the connectors to use,
 * least loaded first. Pass it to {@link PushClient.Builder#registration(DeviceRegistration)}. Immutable.
 */
public final class DeviceRegistration {
  private final String appId;
  private final String regId;
  private final String token;
  private final List<ConnectorEndpoint> connectors;

  public DeviceRegistration(String appId, String regId, String token, List<ConnectorEndpoint> connectors) {
    this.appId = appId;
    this.regId = regId;
    this.token = token;
    this.connectors =
        connectors == null
            ? Collections.<ConnectorEndpoint>emptyList()
            : Collections.unmodifiableList(new ArrayList<ConnectorEndpoint>(connectors));
  }

  public String appId() {
    return appId;
  }

  public String regId() {
    return regId;
  }

  public String token() {
    return token;
  }

  /** Unmodifiable; least loaded first; empty when no connector was up. */
  public List<ConnectorEndpoint> connectors() {
    return connectors;
  }

  @Override
  public String toString() {
    // The token is a credential: keep it out of logs.
    return "DeviceRegistration{appId=" + appId + ", regId=" + regId + ", connectors=" + connectors + "}";
  }
}
