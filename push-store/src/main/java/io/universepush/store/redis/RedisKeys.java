package io.universepush.store.redis;

/** Every Redis key of the store, under one configurable prefix (default {@code up:}). */
final class RedisKeys {
  static final String DEFAULT_PREFIX = "up:";

  private final String prefix;

  RedisKeys(String prefix) {
    this.prefix = prefix == null ? DEFAULT_PREFIX : prefix;
  }

  String prefix() {
    return prefix;
  }

  String app(String appId) {
    return prefix + "app:" + appId;
  }

  String appIndex() {
    return prefix + "apps";
  }

  String device(String appId, String regId) {
    return prefix + "dev:" + appId + ":" + regId;
  }

  String aliasPrefix(String appId) {
    return prefix + "alias:" + appId + ":";
  }

  String alias(String appId, String alias) {
    return aliasPrefix(appId) + alias;
  }

  String tagPrefix(String appId) {
    return prefix + "tag:" + appId + ":";
  }

  String tag(String appId, String tag) {
    return tagPrefix(appId) + tag;
  }

  String appDevices(String appId) {
    return prefix + "appdevs:" + appId;
  }

  String route(String regId) {
    return prefix + "route:" + regId;
  }

  String routePrefix() {
    return prefix + "route:";
  }

  /** When a device was last known connected (epoch millis), outliving its route. */
  String lastSeen(String regId) {
    return lastSeenPrefix() + regId;
  }

  String lastSeenPrefix() {
    return prefix + "seen:";
  }

  String nodeRoutes(String nodeId) {
    return prefix + "noderoutes:" + nodeId;
  }

  String message(String msgId) {
    return prefix + "msg:" + msgId;
  }

  String pending(String regId) {
    return prefix + "pending:" + regId;
  }

  /** Delivery attempts per pending message of a device (hash: msg id to count), next to {@link #pending}. */
  String attempts(String regId) {
    return prefix + "attempts:" + regId;
  }

  String statPrefix() {
    return prefix + "stat:";
  }

  String stat(String msgId) {
    return statPrefix() + msgId;
  }

  String legacyUid(String appId, String uid) {
    return prefix + "legacy:uid:" + appId + ":" + uid;
  }

  String legacyToken(String tokenHash) {
    return prefix + "legacy:token:" + tokenHash;
  }

  String legacyTokenPrefix() {
    return prefix + "legacy:token:";
  }

  /**
   * An app's fan-out stream. The braces are a Redis Cluster hash tag: the stream and its {@link #fanoutMeta} share
   * the text up to and including {@code {appId}}, so they hash to the same slot and one script may touch both.
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
