package io.universepush.sdk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link DedupStore} in memory: the most recently seen {@code capacity} ids, forgotten when the process ends. */
public final class MemoryDedupStore implements DedupStore {
  /** Enough for hours of redeliveries at any realistic per-device push rate, at well under 1 MiB. */
  public static final int DEFAULT_CAPACITY = 10000;

  private final int capacity;
  private final LinkedHashMap<String, Boolean> seen;

  public MemoryDedupStore() {
    this(DEFAULT_CAPACITY);
  }

  public MemoryDedupStore(final int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1");
    }
    this.capacity = capacity;
    // Access order: a duplicate refreshes its id, so an id that keeps coming back is the last one forgotten.
    this.seen =
        new LinkedHashMap<String, Boolean>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  @Override
  public synchronized boolean seen(String key) {
    // get, not containsKey: in access order it refreshes the id.
    return seen.get(key) != null;
  }

  @Override
  public synchronized void markSeen(String key) {
    seen.put(key, Boolean.TRUE);
  }

  public synchronized int size() {
    return seen.size();
  }

  public int capacity() {
    return capacity;
  }

  /** The ids held, least recently seen first. */
  synchronized List<String> idsOldestFirst() {
    return new ArrayList<String>(seen.keySet());
  }
}
