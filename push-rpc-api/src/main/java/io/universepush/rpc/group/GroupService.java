package io.universepush.rpc.group;

import java.util.List;

/**
 * Groups, group chat and single chat, served by push-group over Dubbo (default port 7463). Every call names the app;
 * a group of another app is {@link GroupResultCode#GROUP_NOT_FOUND}. Members are reg ids (aliases are resolved by the
 * HTTP API before it calls here).
 */
public interface GroupService {

  GroupInfo create(String appId, String name, String owner, List<String> members);

  /** Null when the group does not exist in the app. */
  GroupInfo find(String appId, String groupId);

  boolean dismiss(String appId, String groupId);

  /** The reg ids that were added (not members before); null when the group does not exist. */
  List<String> join(String appId, String groupId, List<String> regIds);

  boolean leave(String appId, String groupId, String regId);

  List<String> members(String appId, String groupId);

  List<String> groupsOf(String appId, String regId);

  /**
   * Sends to every member but the sender: the message gets the group's next sequence number, is kept in the group's
   * history and reaches the members through the fan-out bus.
   *
   * @param from the sending member's reg id (empty: the app's server)
   * @param ttlSeconds how long it may wait for an offline member (0: online members only)
   */
  GroupSendResult send(String appId, String groupId, String from, byte[] payload, long ttlSeconds);

  /** Sends to one device (a reg id, or an alias resolving to one device), stored and delivered like a unicast push. */
  GroupSendResult sendSingle(String appId, String from, String to, byte[] payload, long ttlSeconds);

  /** The group's messages with a sequence above {@code afterSeq}, in order, at most {@code limit}. */
  List<GroupMessage> history(String appId, String groupId, long afterSeq, int limit);
}
