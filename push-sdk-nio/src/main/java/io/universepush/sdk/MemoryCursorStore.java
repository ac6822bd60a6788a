package io.universepush.sdk;

import java.util.HashMap;
import java.util.Map;

/** A {@link CursorStore} in memory: kept across reconnects, forgotten when the process ends. */
public final class MemoryCursorStore implements CursorStore {
  private final Map<String, String> cursors = new HashMap<String, String>();

  @Override
  public synchronized String cursor(String appId, String regId) {
    return cursors.get(appId + '\n' + regId);
  }

  @Override
  public synchronized void saveCursor(String appId, String regId, String fanoutId) {
    cursors.put(appId + '\n' + regId, fanoutId);
  }
}
