package io.universepush.group.rpc;

import io.universepush.group.chat.SingleChat;
import io.universepush.group.group.Groups;
import io.universepush.group.message.GroupMessages;
import io.universepush.group.system.ApiException;
import io.universepush.rpc.group.GroupInfo;
import io.universepush.rpc.group.GroupMessage;
import io.universepush.rpc.group.GroupResultCode;
import io.universepush.rpc.group.GroupSendResult;
import io.universepush.rpc.group.GroupService;
import io.universepush.store.StoreUnavailableException;
import io.universepush.store.group.Group;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.dubbo.config.annotation.DubboService;
import org.apache.dubbo.rpc.RpcException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Dubbo face of push-group, with the HTTP API's rules. Sends answer their refusals as {@link GroupSendResult}
 * codes (a connector turns them into PUB_ACK result codes); other calls refuse bad input with an {@link
 * IllegalArgumentException} (a JDK type, which Dubbo hands to callers unchanged). A store outage is an {@link
 * RpcException}, "unavailable, retry later", for every call but sends, which answer {@code UNAVAILABLE}. Lists are
 * mutable: immutable JDK collections do not survive every Dubbo serialization.
 */
@DubboService
public class GroupServiceProvider implements GroupService {
  private static final Logger log = LoggerFactory.getLogger(GroupServiceProvider.class);

  private final Groups groups;
  private final GroupMessages messages;
  private final SingleChat chat;

  public GroupServiceProvider(Groups groups, GroupMessages messages, SingleChat chat) {
    this.groups = groups;
    this.messages = messages;
    this.chat = chat;
  }

  @Override
  public GroupInfo create(String appId, String name, String owner, List<String> members) {
    return guarded(
        "create",
        () -> {
          Group group = groups.create(appId, name, owner, members == null ? List.of() : members);
          return info(group, groups.memberCount(appId, group.groupId()));
        });
  }

  @Override
  public GroupInfo find(String appId, String groupId) {
    return guarded(
        "find",
        () -> groups.find(appId, groupId).map(g -> info(g, groups.memberCount(appId, groupId))).orElse(null));
  }

  @Override
  public boolean dismiss(String appId, String groupId) {
    return guarded("dismiss", () -> groups.dismiss(appId, groupId));
  }

  @Override
  public List<String> join(String appId, String groupId, List<String> regIds) {
    return guarded(
        "join",
        () -> {
          if (groups.find(appId, groupId).isEmpty()) {
            return null;
          }
          return new ArrayList<>(groups.join(appId, groupId, regIds == null ? List.of() : regIds));
        });
  }

  @Override
  public boolean leave(String appId, String groupId, String regId) {
    return guarded("leave", () -> groups.leave(appId, groupId, regId));
  }

  @Override
  public List<String> members(String appId, String groupId) {
    return guarded(
        "members",
        () ->
            groups.find(appId, groupId).isEmpty()
                ? new ArrayList<>()
                : new ArrayList<>(new TreeSet<>(groups.members(appId, groupId))));
  }

  @Override
  public List<String> groupsOf(String appId, String regId) {
    return guarded("groupsOf", () -> new ArrayList<>(new TreeSet<>(groups.groupsOf(appId, regId))));
  }

  @Override
  public GroupSendResult send(String appId, String groupId, String from, byte[] payload, long ttlSeconds) {
    return sending(
        () -> {
          GroupMessages.Sent sent = messages.send(appId, groupId, from, payload, ttlSeconds);
          return new GroupSendResult(GroupResultCode.OK, null, groupId, sent.seq(), sent.msgId(), sent.sentAtMs());
        });
  }

  @Override
  public GroupSendResult sendSingle(String appId, String from, String to, byte[] payload, long ttlSeconds) {
    return sending(
        () -> {
          SingleChat.Sent sent = chat.send(appId, from, to, payload, ttlSeconds);
          return new GroupSendResult(
              GroupResultCode.OK, sent.delivered().name().toLowerCase(java.util.Locale.ROOT), null, 0, sent.msgId(),
              sent.sentAtMs());
        });
  }

  @Override
  public List<GroupMessage> history(String appId, String groupId, long afterSeq, int limit) {
    return guarded("history", () -> new ArrayList<>(messages.history(appId, groupId, afterSeq, limit).messages()));
  }

  private static GroupInfo info(Group group, long members) {
    return new GroupInfo(
        group.groupId(), group.appId(), group.name(), group.owner(), members, group.createdAtMs());
  }

  private static GroupSendResult sending(Supplier<GroupSendResult> action) {
    try {
      return action.get();
    } catch (ApiException e) {
      return GroupSendResult.refused(e.result(), e.getMessage());
    } catch (StoreUnavailableException e) {
      log.warn("send failed: {}", e.getMessage());
      return GroupSendResult.refused(GroupResultCode.UNAVAILABLE, "store unavailable; retry later");
    }
  }

  private static <T> T guarded(String operation, Supplier<T> action) {
    try {
      return action.get();
    } catch (ApiException e) {
      throw new IllegalArgumentException(e.getMessage());
    } catch (StoreUnavailableException e) {
      log.warn("{} failed: {}", operation, e.getMessage());
      // No cause: the store's exception types are not part of the RPC contract and would not deserialize.
      throw new RpcException(RpcException.UNKNOWN_EXCEPTION, "store unavailable: " + e.getMessage());
    }
  }
}
