package io.universepush.connector.auth;

import io.universepush.protocol.proto.BindingResult;

/**
 * One binding of a CONNECT after its check: the result for CONNECT_ACK, the device's platform (from push-subscribe;
 * fan-out platform filters use it) and the fan-out cursor the client sent ("" when none or not a valid id).
 */
public record AuthenticatedBinding(BindingResult result, String platform, String fanoutCursor) {}
