package io.universepush.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.universepush.group.support.DubboTestClient;
import io.universepush.group.support.GroupTestCluster;
import io.universepush.rpc.group.GroupInfo;
import io.universepush.rpc.group.GroupMessage;
import io.universepush.rpc.group.GroupResultCode;
import io.universepush.rpc.group.GroupSendResult;
import io.universepush.rpc.group.GroupService;
import io.universepush.store.fanout.FanoutEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GroupService called over the network by a Dubbo consumer in another application, as a connector does. */
class GroupServiceDubboTest {
  private static GroupTestCluster cluster;
  private static DubboTestClient client;
  private static GroupService groups;

  @BeforeAll
  static void start() {
    cluster = GroupTestCluster.start();
    client = new DubboTestClient("test-group-consumer", cluster.zookeeper.connectString());
    var reference = client.reference(GroupService.class);
    client.start();
    groups = reference.get();
  }

  @AfterAll
  static void stop() {
    client.close();
    cluster.close();
  }

  private static byte[] text(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theWholeServiceWorksOverDubbo() throws Exception {
    String[] app = cluster.createApp("dubbo");
    String alice = cluster.registerDevice(app, "alice");
    String bob = cluster.registerDevice(app, null);
    String carol = cluster.registerDevice(app, null);

    GroupInfo created = groups.create(app[0], "team", alice, List.of(bob));
    assertThat(created.getMemberCount()).isEqualTo(2);
    assertThat(groups.find(app[0], created.getGroupId()).getName()).isEqualTo("team");
    assertThat(groups.find("someotherapp", created.getGroupId())).isNull();
    String groupId = created.getGroupId();

    assertThat(groups.join(app[0], groupId, List.of(carol, bob))).containsExactly(carol);
    assertThat(groups.join(app[0], "nosuchgroup", List.of(carol))).isNull();
    assertThat(groups.members(app[0], groupId)).containsExactlyInAnyOrder(alice, bob, carol);
    assertThat(groups.groupsOf(app[0], carol)).containsExactly(groupId);

    List<FanoutEvent> events = new CopyOnWriteArrayList<>();
    try (AutoCloseable ignored = cluster.stores.fanoutBus().subscribe(events::add)) {
      GroupSendResult sent = groups.send(app[0], groupId, bob, text("hi"), 60);
      assertThat(sent.isOk()).as(sent.getReason()).isTrue();
      assertThat(sent.getSeq()).isEqualTo(1);
      assertThat(groups.send(app[0], groupId, "", text("server"), 0).getSeq()).isEqualTo(2);
      await().until(() -> events.stream().filter(e -> groupId.equals(e.entry().groupId())).count() == 2);
      assertThat(events.stream().filter(e -> groupId.equals(e.entry().groupId())).map(e -> e.entry().offset()))
          .containsExactly(1L, 2L);
    }

    List<GroupMessage> history = groups.history(app[0], groupId, 0, 10);
    assertThat(history).extracting(GroupMessage::getSeq).containsExactly(1L, 2L);
    assertThat(history.get(0).getFrom()).isEqualTo(bob);
    assertThat(new String(history.get(0).getPayload(), StandardCharsets.UTF_8)).isEqualTo("hi");
    assertThat(groups.history(app[0], groupId, 1, 10)).extracting(GroupMessage::getSeq).containsExactly(2L);

    String stranger = cluster.registerDevice(cluster.createApp("other"), null);
    assertThat(groups.send(app[0], groupId, stranger, text("x"), 60).getCode()).isEqualTo(GroupResultCode.NOT_A_MEMBER);
    assertThat(groups.send(app[0], "nosuchgroup", "", text("x"), 60).getCode())
        .isEqualTo(GroupResultCode.GROUP_NOT_FOUND);
    assertThat(groups.send(app[0], groupId, "", new byte[5000], 60).getCode()).isEqualTo(GroupResultCode.TOO_LARGE);
    assertThat(groups.sendSingle(app[0], alice, "nobody", text("x"), 60).getCode())
        .isEqualTo(GroupResultCode.RECIPIENT_NOT_FOUND);
    GroupSendResult single = groups.sendSingle(app[0], alice, bob, text("psst"), 60);
    assertThat(single.isOk()).isTrue();
    assertThat(cluster.stores.messages().pending(bob, 10)).containsExactly(single.getMsgId());
    assertThatThrownBy(() -> groups.history(app[0], groupId, -1, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("after_seq");

    assertThat(groups.leave(app[0], groupId, carol)).isTrue();
    assertThat(groups.leave(app[0], groupId, carol)).isFalse();
    assertThat(groups.dismiss(app[0], groupId)).isTrue();
    assertThat(groups.find(app[0], groupId)).isNull();
  }
}
