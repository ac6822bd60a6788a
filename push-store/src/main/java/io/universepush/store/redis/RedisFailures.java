package io.universepush.store.redis;

import io.universepush.store.StoreUnavailableException;
import java.util.function.Supplier;
import org.redisson.client.RedisException;

/**
 * Turns Redisson's failures (connection refused, timeouts, a server gone away, a client shut down) into
 * {@link StoreUnavailableException}, so callers handle one exception type and never depend on Redisson.
 */
final class RedisFailures {
  private RedisFailures() {}

  static <T> T call(String operation, Supplier<T> action) {
    try {
      return action.get();
    } catch (RedisException e) {
      throw new StoreUnavailableException("Redis unavailable during " + operation + ": " + e.getMessage(), e);
    }
  }

  static void run(String operation, Runnable action) {
    call(
        operation,
        () -> {
          action.run();
          return null;
        });
  }
}
