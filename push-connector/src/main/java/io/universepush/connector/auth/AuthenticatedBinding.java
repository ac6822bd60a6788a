package io.universepush.connector.auth;

import io.universepush.protocol.proto.BindingResult;
import io.universepush.store.fanout.FanoutPosition;

/**
 * One binding of a CONNECT after its check: the result for CONNECT_ACK (with {@code recovered} and the fan-out
 * position filled in for an accepted one), the device's platform (fan-out platform filters use it) and where the
 * binding starts in its app's fan-out log (null unless accepted).
 */
public record AuthenticatedBinding(BindingResult result, String platform, FanoutPosition fanoutStart) {}
