package io.universepush.rpc.subscribe;

/** Why a device was or was not let in; maps onto the CONNECT_ACK codes. */
public enum AuthOutcome {
  ACCEPTED,
  UNKNOWN_APP,
  UNKNOWN_DEVICE,
  BAD_TOKEN
}
