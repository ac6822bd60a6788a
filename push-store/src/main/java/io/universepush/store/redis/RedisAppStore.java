package io.universepush.store.redis;

import static io.universepush.store.redis.RedisFailures.call;
import static io.universepush.store.redis.Values.nonNull;
import static io.universepush.store.redis.Values.parseLong;

import io.universepush.store.app.App;
import io.universepush.store.app.AppCredentials;
import io.universepush.store.app.AppStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Apps as {@code app:<id>} hashes (name, secret hash, created, open_registration) plus an index set of app ids,
 * {@code apps}. An app without {@code open_registration} (created before it existed) has it on, as new apps do.
 *
 * <p>The hash is the truth and the index only lists: the two live in different Redis Cluster slots (one slot for all
 * apps would put every device connection's app lookup on one node), so they are written one after the other, the hash
 * first on create and on delete. A failure in between leaves an index entry without a hash, which {@link #list()}
 * skips, or an app hash nobody knows the id of; never an app that is found but cannot be listed after a successful
 * create.
 */
public final class RedisAppStore implements AppStore {
  private static final String NAME = "name";
  private static final String SECRET = "secret";
  private static final String CREATED = "created";
  private static final String OPEN_REGISTRATION = "open_registration";

  // Creates the app only if the id is free (a collision of 64 random bits is unlikely, but never silently merged).
  private static final String CREATE =
      """
      if redis.call('exists', KEYS[1]) == 1 then return 0 end
      redis.call('hset', KEYS[1], 'name', ARGV[1], 'secret', ARGV[2], 'created', ARGV[3])
      return 1
      """;

  // Sets one field of an existing app; never resurrects a deleted app as a partial hash.
  private static final String SET_IF_EXISTS =
      """
      if redis.call('exists', KEYS[1]) == 0 then return 0 end
      redis.call('hset', KEYS[1], ARGV[1], ARGV[2])
      return 1
      """;

  private final RedissonClient redisson;
  private final RedisKeys keys;

  public RedisAppStore(RedissonClient redisson, String keyPrefix) {
    this.redisson = redisson;
    this.keys = new RedisKeys(keyPrefix);
  }

  @Override
  public AppCredentials create(String name) {
    return call(
        "app create",
        () -> {
          String secret = Secrets.newSecret();
          long created = System.currentTimeMillis();
          String appId;
          String secretHash = Secrets.sha256Hex(secret);
          do {
            appId = Secrets.newAppId();
          } while (!eval(CREATE, List.of(keys.app(appId)), nonNull(name), secretHash, Long.toString(created)));
          redisson.getSet(keys.appIndex(), StringCodec.INSTANCE).add(appId);
          return new AppCredentials(new App(appId, name, created), secret);
        });
  }

  @Override
  public Optional<App> find(String appId) {
    return call("app find", () -> toApp(appId, map(appId)));
  }

  @Override
  public List<App> list() {
    return call(
        "app list",
        () -> {
          List<String> ids =
              new ArrayList<>(redisson.<String>getSet(keys.appIndex(), StringCodec.INSTANCE).readAll());
          RBatch batch = redisson.createBatch();
          Map<String, RFuture<Map<String, String>>> futures = new LinkedHashMap<>();
          for (String id : ids) {
            futures.put(id, batch.<String, String>getMap(keys.app(id), StringCodec.INSTANCE).readAllMapAsync());
          }
          if (!futures.isEmpty()) {
            batch.execute();
          }
          List<App> apps = new ArrayList<>();
          futures.forEach((id, future) -> toApp(id, future.toCompletableFuture().join()).ifPresent(apps::add));
          apps.sort(Comparator.comparingLong(App::createdAtMs).thenComparing(App::appId));
          return apps;
        });
  }

  @Override
  public Optional<App> rename(String appId, String name) {
    return call(
        "app rename",
        () ->
            eval(SET_IF_EXISTS, List.of(keys.app(appId)), NAME, nonNull(name))
                ? toApp(appId, map(appId))
                : Optional.empty());
  }

  @Override
  public Optional<App> setOpenRegistration(String appId, boolean open) {
    return call(
        "app open registration switch",
        () ->
            eval(SET_IF_EXISTS, List.of(keys.app(appId)), OPEN_REGISTRATION, open ? "1" : "0")
                ? toApp(appId, map(appId))
                : Optional.empty());
  }

  @Override
  public Optional<AppCredentials> rotateSecret(String appId) {
    return call(
        "app secret rotation",
        () -> {
          String secret = Secrets.newSecret();
          if (!eval(SET_IF_EXISTS, List.of(keys.app(appId)), SECRET, Secrets.sha256Hex(secret))) {
            return Optional.empty();
          }
          return toApp(appId, map(appId)).map(app -> new AppCredentials(app, secret));
        });
  }

  @Override
  public boolean verifySecret(String appId, String secret) {
    if (appId == null || secret == null) {
      return false;
    }
    return call(
        "app secret check",
        () ->
            Secrets.matches(
                secret, redisson.<String, String>getMap(keys.app(appId), StringCodec.INSTANCE).get(SECRET)));
  }

  @Override
  public boolean delete(String appId) {
    return call(
        "app delete",
        () -> {
          boolean deleted = redisson.getKeys().delete(keys.app(appId)) > 0;
          redisson.getSet(keys.appIndex(), StringCodec.INSTANCE).remove(appId);
          return deleted;
        });
  }

  private boolean eval(String script, List<Object> scriptKeys, String... args) {
    Long result =
        redisson
            .getScript(StringCodec.INSTANCE)
            .eval(RScript.Mode.READ_WRITE, script, RScript.ReturnType.INTEGER, scriptKeys, (Object[]) args);
    return result != null && result == 1L;
  }

  private Map<String, String> map(String appId) {
    return redisson.<String, String>getMap(keys.app(appId), StringCodec.INSTANCE).readAllMap();
  }

  private static Optional<App> toApp(String appId, Map<String, String> fields) {
    if (fields == null || fields.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new App(
            appId,
            fields.get(NAME),
            parseLong(fields.get(CREATED)),
            !"0".equals(fields.get(OPEN_REGISTRATION))));
  }

}
