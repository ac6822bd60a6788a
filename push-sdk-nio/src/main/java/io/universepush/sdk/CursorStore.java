package io.universepush.sdk;

/**
 * Keeps, per binding (app id, reg id), the id of the last fan-out message (tag or app-wide push) the app has handled,
 * so that the client can send it as the binding's cursor on CONNECT and the connector replays only what came after.
 * An Android app that wants the cursor to survive restarts gives the client a {@link FileCursorStore}; the default is
 * a {@link MemoryCursorStore} per client, which survives reconnects only.
 *
 * <p>The client only ever stores a cursor later than the one it read. Implementations are thread-safe.
 */
public interface CursorStore {

  /** The binding's cursor ({@code <millis>-<seq>}), or null when there is none yet. */
  String cursor(String appId, String regId);

  /** Replaces the binding's cursor. */
  void saveCursor(String appId, String regId, String fanoutId);
}
