package io.universepush.store.redis;

import io.universepush.store.app.AppStore;
import io.universepush.store.device.DeviceStore;
import io.universepush.store.fanout.FanoutBus;
import io.universepush.store.fanout.FanoutLog;
import io.universepush.store.group.GroupBus;
import io.universepush.store.group.GroupStore;
import io.universepush.store.message.MessageStats;
import io.universepush.store.message.MessageStore;
import io.universepush.store.route.RouteStore;
import java.time.Clock;
import java.time.Duration;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.redisson.config.ConstantDelay;

/** Every Redis-backed store over one Redisson client, which this object owns and shuts down on {@link #close()}. */
public final class RedisStores implements AutoCloseable {
  private final RedissonClient redisson;
  private final RedisAppStore apps;
  private final RedisDeviceStore devices;
  private final RedisRouteStore routes;
  private final RedisMessageStore messages;
  private final RedisMessageStats stats;
  private final RedisFanoutLog fanoutLog;
  private final RedisFanoutBus fanoutBus;
  private final RedisGroupStore groups;
  private final RedisGroupBus groupBus;
  private final String keyPrefix;

  private RedisStores(RedissonClient redisson, String keyPrefix) {
    this.redisson = redisson;
    String prefix = keyPrefix == null ? RedisKeys.DEFAULT_PREFIX : keyPrefix;
    this.apps = new RedisAppStore(redisson, prefix);
    this.devices = new RedisDeviceStore(redisson, prefix);
    this.routes = new RedisRouteStore(redisson, prefix);
    this.messages = new RedisMessageStore(redisson, prefix);
    this.stats = new RedisMessageStats(redisson, prefix);
    this.fanoutLog = new RedisFanoutLog(redisson, prefix);
    this.fanoutBus = new RedisFanoutBus(redisson, prefix);
    this.groups = new RedisGroupStore(redisson, prefix);
    this.groupBus = new RedisGroupBus(redisson, prefix);
    this.keyPrefix = prefix;
  }

  /** A single Redis server at {@code redis://host:port}, with short timeouts so a lost Redis fails calls fast. */
  public static RedisStores connect(String address, String keyPrefix) {
    return connect(singleServerConfig(address), keyPrefix);
  }

  /** Any Redisson topology (cluster, sentinel) described by the config. */
  public static RedisStores connect(Config config, String keyPrefix) {
    return new RedisStores(Redisson.create(config), keyPrefix);
  }

  /** The configuration {@link #connect(String, String)} uses, for callers that want to adjust it. */
  public static Config singleServerConfig(String address) {
    Config config = new Config();
    // Connect on first use, so a service can start while Redis is briefly down; calls fail with
    // StoreUnavailableException until it is back.
    config.setLazyInitialization(true);
    config
        .useSingleServer()
        .setAddress(address)
        .setConnectTimeout(2000)
        .setTimeout(2000)
        .setRetryAttempts(1)
        .setRetryDelay(new ConstantDelay(Duration.ofMillis(200)))
        .setConnectionPoolSize(16)
        .setConnectionMinimumIdleSize(2)
        .setSubscriptionConnectionPoolSize(4)
        .setSubscriptionConnectionMinimumIdleSize(1);
    return config;
  }

  public AppStore apps() {
    return apps;
  }

  public DeviceStore devices() {
    return devices;
  }

  public RouteStore routes() {
    return routes;
  }

  public MessageStore messages() {
    return messages;
  }

  public MessageStats stats() {
    return stats;
  }

  /** The app fan-out logs with the default limits ({@link RedisFanoutLog#DEFAULT_MAX_LENGTH}, 7 days). */
  public FanoutLog fanoutLog() {
    return fanoutLog;
  }

  /** A fan-out log with other limits (the max age should be the longest ttl a push may have). */
  public FanoutLog fanoutLog(long maxLength, Duration maxAge) {
    return new RedisFanoutLog(redisson, keyPrefix, maxLength, maxAge);
  }

  /**
   * A fan-out log with other limits whose reads judge expiry by this clock (a reader of history that outlives the
   * entries' delivery expiry reads with a clock at the epoch, so that nothing counts as expired).
   */
  public FanoutLog fanoutLog(long maxLength, Duration maxAge, Clock clock) {
    return new RedisFanoutLog(redisson, keyPrefix, maxLength, maxAge, clock);
  }

  public FanoutBus fanoutBus() {
    return fanoutBus;
  }

  public GroupStore groups() {
    return groups;
  }

  public GroupBus groupBus() {
    return groupBus;
  }

  /** The underlying client, for topics and streams that have no store interface yet. */
  public RedissonClient redisson() {
    return redisson;
  }

  @Override
  public void close() {
    redisson.shutdown();
  }
}
