package io.universepush.sdk;

/**
 * Keeps, per binding (app id, reg id), its {@link FanoutPosition}: how far the app has processed its app's fan-out log
 * without a gap. The client sends it on CONNECT so that the connector sends only the entries after it, and tells the
 * app through {@link PushListener#onFanoutLost} when the server could not. An Android app that wants the position to
 * survive restarts gives the client a {@link FilePositionStore}; the default is a {@link MemoryPositionStore} per
 * client, which survives reconnects only.
 *
 * <p>Implementations are thread-safe.
 */
public interface PositionStore {

  /** The binding's position, or null when it has none yet. */
  FanoutPosition position(String appId, String regId);

  /** Replaces the binding's position. */
  void savePosition(String appId, String regId, FanoutPosition position);
}
