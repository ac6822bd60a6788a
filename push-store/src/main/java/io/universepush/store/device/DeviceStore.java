package io.universepush.store.device;

import io.universepush.store.fanout.FanoutPosition;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Devices, their tokens (hashed), aliases and tags. Every lookup is scoped to an app: a reg id of another app is not
 * found.
 */
public interface DeviceStore {
  DeviceRegistration register(String appId, String platform, String alias, Set<String> tags);

  Optional<Device> find(String appId, String regId);

  /** True when the device exists in that app and the token is its own; constant-time comparison. */
  boolean verifyToken(String appId, String regId, String token);

  /** A device's presented token, an element of {@link #checkTokens}. */
  record Credentials(String regId, String token) {}

  /** The answer for one {@link Credentials}: the device (empty when unknown) and whether the token is its own. */
  record TokenCheck(Optional<Device> device, boolean tokenMatches) {}

  /**
   * {@link #find} and {@link #verifyToken} for many devices of one app, one answer per element in order; the Redis
   * store reads them in one pipelined round trip (a reconnect storm's CONNECTs). The default checks one by one.
   */
  default List<TokenCheck> checkTokens(String appId, List<Credentials> credentials) {
    List<TokenCheck> checks = new java.util.ArrayList<>(credentials.size());
    for (Credentials c : credentials) {
      Optional<Device> device = find(appId, c.regId());
      checks.add(
          new TokenCheck(device, device.isPresent() && verifyToken(appId, c.regId(), c.token() == null ? "" : c.token())));
    }
    return checks;
  }

  /** Replaces alias and tags; empty when the device does not exist in that app. */
  default Optional<Device> update(String appId, String regId, String alias, Set<String> tags) {
    return update(appId, regId, null, alias, tags);
  }

  /**
   * Replaces alias and tags, and the platform unless it is null or empty; empty when the device does not exist in
   * that app.
   */
  Optional<Device> update(String appId, String regId, String platform, String alias, Set<String> tags);

  boolean delete(String appId, String regId);

  /**
   * Keeps, with the device, where it stands in its app's fan-out log as its last connection left it (every entry up
   * to there that was for it was acknowledged): the start for a client that keeps no position of its own (MQTT, a
   * reinstalled app). Ignored when the device no longer exists.
   */
  void saveFanoutPosition(String appId, String regId, FanoutPosition position);

  /** The position {@link #saveFanoutPosition} kept, if any. */
  Optional<FanoutPosition> fanoutPosition(String appId, String regId);

  /** Reg ids of the app's devices with this alias. */
  Set<String> regIdsByAlias(String appId, String alias);

  /** Reg ids of the app's devices with this tag. */
  Set<String> regIdsByTag(String appId, String tag);

  /** Of these reg ids, the ones that exist in this app. */
  List<String> existing(String appId, Collection<String> regIds);

  /** Every device of the app, for app deletion. */
  List<String> regIdsOfApp(String appId);

  /**
   * Of these reg ids, the ones whose device in this app carries at least one of the tags (one round trip; for
   * delivering a tag push to the sessions a connector holds).
   */
  Set<String> withAnyTag(String appId, Collection<String> tags, Collection<String> regIds);

  /** The devices of this app among these reg ids, in one round trip; unknown ones (or another app's) are absent. */
  Map<String, Device> findAll(String appId, Collection<String> regIds);

  /**
   * A cheap audience size for a tag push: the sum of each tag's device count, so a device carrying two of the tags
   * counts twice (an upper bound; exact for one tag).
   */
  long countByTags(String appId, Collection<String> tags);

  /** How many devices the app has. */
  long countOfApp(String appId);

  /**
   * universe_push's SUB: the same uid always gets the same (reg id, token) in the app; an empty uid a fresh device.
   * The legacy token is kept retrievable (hashed index from token to reg id) because old clients push to it.
   */
  DeviceRegistration subscribeLegacy(String appId, String uid);

  /** {@link #subscribeLegacy} for many uids, in order; the Redis store pipelines them. */
  default List<DeviceRegistration> subscribeLegacyAll(String appId, List<String> uids) {
    List<DeviceRegistration> registrations = new java.util.ArrayList<>(uids.size());
    for (String uid : uids) {
      registrations.add(subscribeLegacy(appId, uid));
    }
    return registrations;
  }

  /** The reg id a legacy token is bound to, or empty. */
  Optional<String> resolveLegacyToken(String token);
}
