package io.universepush.connector;

import static io.universepush.connector.TestClient.binding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.universepush.connector.node.LocalNode;
import io.universepush.protocol.proto.Binding;
import io.universepush.protocol.proto.ConnectAck;
import io.universepush.protocol.proto.GroupPosition;
import io.universepush.protocol.proto.GroupStart;
import io.universepush.protocol.proto.Push;
import io.universepush.protocol.proto.StreamPosition;
import io.universepush.store.device.DeviceRegistration;
import io.universepush.store.fanout.FanoutEntry;
import io.universepush.store.fanout.FanoutEvent;
import io.universepush.store.fanout.FanoutPosition;
import io.universepush.store.group.Group;
import io.universepush.store.group.GroupMembershipChange;
import io.universepush.store.message.StoredMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Group messages through two real connectors: each member gets every message of its group once, in sequence order,
 * live or caught up from the group's log after its position; the sender and non-members get nothing; a member that
 * left gets nothing more. Membership is written to the store and announced on the group bus as push-group does.
 */
@ExtendWith(ConnectorCluster.Extension.class)
class GroupDeliveryTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int MEMBERS = 500;

  private static ConnectorCluster cluster;
  private static ConfigurableApplicationContext secondNode;

  @BeforeAll
  static void startSecondNode(ConnectorCluster shared) {
    cluster = shared;
    secondNode = cluster.startExtraConnector("test-node-groups");
  }

  @AfterAll
  static void stopSecondNode() {
    cluster.stopExtraConnector(secondNode);
  }

  @Test
  void fiveHundredMembersOnTwoConnectorsGetEveryMessageOnceInSequenceOrder() throws Exception {
    String appId = cluster.newApp();
    List<DeviceRegistration> members = new ArrayList<>();
    for (int i = 0; i < MEMBERS; i++) {
      members.add(cluster.newDevice(appId));
    }
    DeviceRegistration outsider = cluster.newDevice(appId);
    Group group =
        cluster.stores().groups().create(appId, "five hundred", "", members.stream().map(m -> m.device().regId()).toList());
    List<TestClient> clients = new ArrayList<>();
    try {
      int[] ports = {cluster.tcpPort(), secondNode.getBean(LocalNode.class).address().tcpPort()};
      for (int i = 0; i < MEMBERS; i++) {
        DeviceRegistration member = members.get(i);
        TestClient client = new TestClient(ports[i % 2]);
        clients.add(client);
        ConnectAck ack = client.connectAccepted(binding(appId, member.device().regId(), member.token()));
        assertThat(ack.getBindings(0).getGroupsList()).extracting(GroupStart::getGroupId).containsExactly(group.groupId());
      }
      TestClient outside = new TestClient(ports[0]);
      clients.add(outside);
      outside.connectAccepted(binding(appId, outsider.device().regId(), outsider.token()));
      awaitRouted(members);

      String sender = members.get(7).device().regId();
      List<FanoutEntry> sent = new ArrayList<>();
      for (int n = 1; n <= 10; n++) {
        sent.add(sendToGroup(appId, group.groupId(), n == 5 ? sender : "", "{\"n\":" + n + "}"));
      }
      assertThat(sent).extracting(FanoutEntry::offset).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);

      for (int i = 0; i < MEMBERS; i++) {
        boolean isSender = members.get(i).device().regId().equals(sender);
        List<Long> expected = new ArrayList<>();
        for (FanoutEntry entry : sent) {
          if (!(isSender && entry.sender().equals(sender))) {
            expected.add(entry.offset());
          }
        }
        Map<Long, Push> received = readDistinct(clients.get(i), expected.size());
        assertThat(received.keySet()).as("member %d", i).containsExactlyElementsOf(expected);
        assertThat(received.values()).allMatch(push -> push.getGroupId().equals(group.groupId()));
      }
      assertThat(outside.pushesUntilPong(99)).isEmpty();
    } finally {
      for (TestClient client : clients) {
        client.close();
      }
    }
  }

  @Test
  void aMemberOfflineDuringFiftyMessagesCatchesUpInOrderWithNoGapAfterItsPosition() throws Exception {
    String appId = cluster.newApp();
    DeviceRegistration member = cluster.newDevice(appId);
    Group group = cluster.stores().groups().create(appId, "catch-up", "", List.of(member.device().regId()));
    String epoch;
    try (TestClient client = new TestClient(cluster.tcpPort())) {
      ConnectAck ack = client.connectAccepted(binding(appId, member.device().regId(), member.token()));
      epoch = ack.getBindings(0).getGroups(0).getPosition().getEpoch();
      awaitRouted(List.of(member));
      for (int n = 1; n <= 3; n++) {
        sendToGroup(appId, group.groupId(), "", "{\"n\":" + n + "}");
      }
      assertThat(readDistinct(client, 3).keySet()).containsExactly(1L, 2L, 3L);
    }
    await().atMost(WAIT).until(() -> cluster.stores().routes().find(member.device().regId()).isEmpty());
    for (int n = 4; n <= 53; n++) {
      sendToGroup(appId, group.groupId(), "", "{\"n\":" + n + "}");
    }

    try (TestClient client = new TestClient(cluster.tcpPort())) {
      Binding withPosition =
          binding(appId, member.device().regId(), member.token()).toBuilder()
              .addGroupPositions(
                  GroupPosition.newBuilder()
                      .setGroupId(group.groupId())
                      .setPosition(StreamPosition.newBuilder().setOffset(3).setEpoch(epoch)))
              .build();
      ConnectAck ack = client.connectAccepted(withPosition);
      assertThat(ack.getBindings(0).getGroups(0).getRecovered()).isTrue();
      Map<Long, Push> caughtUp = readDistinct(client, 50);
      List<Long> expected = new ArrayList<>();
      for (long seq = 4; seq <= 53; seq++) {
        expected.add(seq);
      }
      assertThat(caughtUp.keySet()).containsExactlyElementsOf(expected);
      // Each names the one before it: the chain has no gap.
      assertThat(caughtUp.values()).extracting(Push::getFanoutPrevOffset).containsExactlyElementsOf(
          expected.stream().map(seq -> seq - 1).toList());
    }
  }

  @Test
  void aMemberThatLeftGetsNothingMoreAndOneThatJoinedGetsWhatFollows() throws Exception {
    String appId = cluster.newApp();
    DeviceRegistration leaving = cluster.newDevice(appId);
    DeviceRegistration joining = cluster.newDevice(appId);
    Group group = cluster.stores().groups().create(appId, "changes", "", List.of(leaving.device().regId()));
    try (TestClient a = new TestClient(cluster.tcpPort());
        TestClient b = new TestClient(cluster.tcpPort())) {
      a.connectAccepted(binding(appId, leaving.device().regId(), leaving.token()));
      b.connectAccepted(binding(appId, joining.device().regId(), joining.token()));
      awaitRouted(List.of(leaving, joining));
      sendToGroup(appId, group.groupId(), "", "{\"before\":1}");
      assertThat(readDistinct(a, 1).keySet()).containsExactly(1L);

      cluster.stores().groups().removeMember(appId, group.groupId(), leaving.device().regId());
      cluster.stores().groups().addMembers(appId, group.groupId(), List.of(joining.device().regId()));
      FanoutPosition top = cluster.stores().fanoutLog().top(appId, FanoutEntry.groupChannel(group.groupId()));
      cluster.stores().groupBus().publish(
          new GroupMembershipChange(appId, group.groupId(), Set.of(leaving.device().regId()), false, top.offset(), top.epoch()));
      cluster.stores().groupBus().publish(
          new GroupMembershipChange(appId, group.groupId(), Set.of(joining.device().regId()), true, top.offset(), top.epoch()));
      // The bus is asynchronous: a ping answered after the changes were applied is the barrier.
      await().atMost(WAIT).untilAsserted(() -> {
        sendToGroup(appId, group.groupId(), "", "{\"probe\":true}");
        assertThat(b.pushesUntilPong(50)).isNotEmpty();
      });
      assertThat(a.pushesUntilPong(51)).isEmpty();
    }
  }

  // ------------------------------------------------------------------ fixtures

  /** As push-group does: store the message, append it to the group's channel, publish it. */
  private static FanoutEntry sendToGroup(String appId, String groupId, String sender, String payload) {
    StoredMessage message = ConnectorCluster.message(appId, payload, Duration.ofMinutes(5));
    cluster.stores().messages().saveWithPending(message, List.of());
    FanoutEntry entry =
        cluster.stores().fanoutLog().append(
            FanoutEntry.groupMessage(appId, groupId, message.msgId(), sender, message.expiresAtMs()));
    cluster.stores().fanoutBus().publish(new FanoutEvent(entry, message));
    return entry;
  }

  /** Reads pushes (acking each) until {@code count} distinct sequences were seen: redeliveries are skipped. */
  private static Map<Long, Push> readDistinct(TestClient client, int count) throws Exception {
    Map<Long, Push> distinct = new LinkedHashMap<>();
    while (distinct.size() < count) {
      Push push = client.readPush();
      client.ack(List.of(push.getMsgId()));
      distinct.putIfAbsent(push.getFanoutOffset(), push);
    }
    return distinct;
  }

  private static void awaitRouted(List<DeviceRegistration> devices) {
    for (DeviceRegistration device : devices) {
      await()
          .atMost(WAIT)
          .ignoreExceptions()
          .until(() -> cluster.stores().routes().find(device.device().regId()).isPresent());
    }
  }
}
