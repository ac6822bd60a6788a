package io.universepush.store.redis;

/**
 * Every Redis key of the store, under one configurable prefix (default {@code up:}).
 *
 * <p>The braces are Redis Cluster hash tags: only the text between the first {@code {}} and {@code }} of a key picks
 * its slot, so keys that a script or transaction uses together carry the same tag and land on one node. The groups:
 * one app's devices and their indexes ({@code {appId}}), one device's route and last-seen time and its pending set
 * and attempt counts ({@code {regId}}: a route script touches only the first two, a pending script the last two),
 * one message and its stats ({@code {msgId}}), one app's fan-out log and meta hash ({@code {appId}}, the same tag as
 * its devices). Keys without a tag are only ever used alone. The prefix must therefore contain no braces (checked).
 */
final class RedisKeys {
  static final String DEFAULT_PREFIX = "up:";

  private final String prefix;

  RedisKeys(String prefix) {
    this.prefix = prefix == null ? DEFAULT_PREFIX : prefix;
    if (this.prefix.indexOf('{') >= 0 || this.prefix.indexOf('}') >= 0) {
      throw new IllegalArgumentException("a Redis key prefix must not contain braces (hash tags): " + prefix);
    }
  }

  String prefix() {
    return prefix;
  }

  // --- apps: each key alone (the hash and the index are written in two steps, see RedisAppStore) ---------------

  String app(String appId) {
    return prefix + "app:" + appId;
  }

  String appIndex() {
    return prefix + "apps";
  }

  // --- devices: one slot per app -----------------------------------------------------------------------------------

  String device(String appId, String regId) {
    return prefix + "dev:{" + appId + "}:" + regId;
  }

  String alias(String appId, String alias) {
    return prefix + "alias:{" + appId + "}:" + alias;
  }

  String tag(String appId, String tag) {
    return prefix + "tag:{" + appId + "}:" + tag;
  }

  String appDevices(String appId) {
    return prefix + "appdevs:{" + appId + "}";
  }

  String legacyUid(String appId, String uid) {
    return prefix + "legacy:uid:{" + appId + "}:" + uid;
  }

  /** Alone: a token is resolved without knowing its app; written after the device (see RedisDeviceStore). */
  String legacyToken(String tokenHash) {
    return prefix + "legacy:token:" + tokenHash;
  }

  // --- one device's route and pending messages: one slot per reg id ------------------------------------------------

  String route(String regId) {
    return prefix + "route:{" + regId + "}";
  }

  /** When a device was last known connected (epoch millis), outliving its route. */
  String lastSeen(String regId) {
    return prefix + "seen:{" + regId + "}";
  }

  /** Alone: a node's route index is written in its own call, beside the route script (see RedisRouteStore). */
  String nodeRoutes(String nodeId) {
    return prefix + "noderoutes:" + nodeId;
  }

  String pending(String regId) {
    return prefix + "pending:{" + regId + "}";
  }

  /** Delivery attempts per pending message of a device (hash: msg id to count), next to {@link #pending}. */
  String attempts(String regId) {
    return prefix + "attempts:{" + regId + "}";
  }

  // --- one message: one slot per message id ---------------------------------------------------------------------

  String message(String msgId) {
    return prefix + "msg:{" + msgId + "}";
  }

  String stat(String msgId) {
    return prefix + "stat:{" + msgId + "}";
  }

  // --- fan-out --------------------------------------------------------------------------------------------------

  /**
   * An app's fan-out stream. It and its {@link #fanoutMeta} share the tag {@code {appId}}, so they hash to the same
   * slot and one script may touch both.
   */
  String fanoutLog(String appId) {
    return fanoutLog(appId, "");
  }

  /** A channel's log of an app: its own (empty channel) or a group's, each with a hash tag of its own. */
  String fanoutLog(String appId, String channel) {
    return prefix + "fanout:{" + (channel.isEmpty() ? appId : appId + "/" + channel) + "}";
  }

  /** The epoch and top offset of an app's fan-out log (a hash without a TTL, outliving its stream). */
  String fanoutMeta(String appId) {
    return fanoutMeta(appId, "");
  }

  String fanoutMeta(String appId, String channel) {
    return fanoutLog(appId, channel) + ":meta";
  }

  /** A pub/sub channel, not a key: Redis Cluster forwards a publish to every node. */
  String fanoutTopic() {
    return prefix + "fanout";
  }

  /**
   * A group's hash (app, name, owner, created). The braces are a Redis Cluster hash tag shared with
   * {@link #groupMembers}, so one script reads the group and writes its members.
   */
  String group(String groupId) {
    return prefix + "group:{" + groupId + "}";
  }

  /** A group's member set (reg ids): the truth of membership. */
  String groupMembers(String groupId) {
    return group(groupId) + ":members";
  }

  /** An app's group ids; in the app's slot, with every {@link #deviceGroups} of the app. */
  String appGroups(String appId) {
    return prefix + "appgroups:{" + appId + "}";
  }

  /** The group ids a device is (or, after a crash, may have been) a member of: an index over the member sets. */
  String deviceGroups(String appId, String regId) {
    return prefix + "devgroups:{" + appId + "}:" + regId;
  }

  String groupTopic() {
    return prefix + "groups";
  }
}
