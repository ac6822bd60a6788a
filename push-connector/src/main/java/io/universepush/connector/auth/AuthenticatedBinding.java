package io.universepush.connector.auth;

import io.universepush.protocol.proto.BindingResult;
import io.universepush.store.fanout.FanoutPosition;
import java.util.Map;

/**
 * One binding of a CONNECT after its check: the result for CONNECT_ACK (with {@code recovered}, the fan-out position
 * and the device's groups filled in for an accepted one), the device's platform (fan-out platform filters use it),
 * where the binding starts in its app's fan-out log (null unless accepted) and in each of its groups' logs.
 */
public record AuthenticatedBinding(
    BindingResult result, String platform, FanoutPosition fanoutStart, Map<String, FanoutPosition> groupStarts) {

  public AuthenticatedBinding {
    groupStarts = groupStarts == null ? Map.of() : Map.copyOf(groupStarts);
  }

  /** A binding of a device in no group. */
  public AuthenticatedBinding(BindingResult result, String platform, FanoutPosition fanoutStart) {
    this(result, platform, fanoutStart, Map.of());
  }
}
