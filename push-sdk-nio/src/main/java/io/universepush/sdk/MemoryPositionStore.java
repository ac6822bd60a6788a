package io.universepush.sdk;

import java.util.HashMap;
import java.util.Map;

/** A {@link PositionStore} in memory, every channel: kept across reconnects, forgotten when the process ends. */
public final class MemoryPositionStore implements PositionStore {
  /** By binding, then by channel. */
  private final Map<String, Map<String, FanoutPosition>> positions =
      new HashMap<String, Map<String, FanoutPosition>>();

  @Override
  public FanoutPosition position(String appId, String regId) {
    return position(appId, regId, APP_CHANNEL);
  }

  @Override
  public void savePosition(String appId, String regId, FanoutPosition position) {
    savePosition(appId, regId, APP_CHANNEL, position);
  }

  @Override
  public synchronized FanoutPosition position(String appId, String regId, String channel) {
    Map<String, FanoutPosition> binding = positions.get(appId + '\n' + regId);
    return binding == null ? null : binding.get(channel);
  }

  @Override
  public synchronized void savePosition(String appId, String regId, String channel, FanoutPosition position) {
    if (position == null) {
      throw new IllegalArgumentException("position is null");
    }
    if (channel == null) {
      throw new IllegalArgumentException("channel is null");
    }
    String key = appId + '\n' + regId;
    Map<String, FanoutPosition> binding = positions.get(key);
    if (binding == null) {
      binding = new HashMap<String, FanoutPosition>();
      positions.put(key, binding);
    }
    binding.put(channel, position);
  }

  @Override
  public synchronized void forgetGroup(String appId, String regId, String groupId) {
    Map<String, FanoutPosition> binding = positions.get(appId + '\n' + regId);
    if (binding != null && !APP_CHANNEL.equals(groupId)) {
      binding.remove(groupId);
    }
  }

  @Override
  public synchronized Map<String, FanoutPosition> groupPositions(String appId, String regId) {
    Map<String, FanoutPosition> groups = new HashMap<String, FanoutPosition>();
    Map<String, FanoutPosition> binding = positions.get(appId + '\n' + regId);
    if (binding != null) {
      groups.putAll(binding);
      groups.remove(APP_CHANNEL);
    }
    return groups;
  }
}
