package io.universepush.sdk;

import java.util.HashMap;
import java.util.Map;

/** A {@link PositionStore} in memory: kept across reconnects, forgotten when the process ends. */
public final class MemoryPositionStore implements PositionStore {
  private final Map<String, FanoutPosition> positions = new HashMap<String, FanoutPosition>();

  @Override
  public synchronized FanoutPosition position(String appId, String regId) {
    return positions.get(appId + '\n' + regId);
  }

  @Override
  public synchronized void savePosition(String appId, String regId, FanoutPosition position) {
    if (position == null) {
      throw new IllegalArgumentException("position is null");
    }
    positions.put(appId + '\n' + regId, position);
  }
}
