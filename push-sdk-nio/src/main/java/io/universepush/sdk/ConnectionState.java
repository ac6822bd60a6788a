package io.universepush.sdk;

/** Where a {@link PushClient} is in its life. */
public enum ConnectionState {
  /** Built, {@link PushClient#connect()} not called yet. */
  NEW,
  /** Finding a connector, opening the socket, or waiting for CONNECT_ACK. */
  CONNECTING,
  /** Authenticated: pushes flow and heartbeats run. */
  CONNECTED,
  /** The last attempt failed or the connection dropped; the next attempt starts after a back-off delay. */
  WAITING_TO_RECONNECT,
  /** {@link PushClient#close()} was called; terminal. */
  CLOSED
}
