package io.universepush.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.universepush.group.support.GroupTestCluster;
import io.universepush.group.support.Http;
import io.universepush.rpc.connector.Delivery;
import io.universepush.store.fanout.FanoutEntry;
import io.universepush.store.fanout.FanoutEvent;
import io.universepush.store.fanout.FanoutPage;
import io.universepush.store.group.GroupMembershipChange;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** push-group's HTTP API end to end: real HTTP, real Redis, the real fan-out and group buses. */
class GroupHttpApiTest {
  private static GroupTestCluster cluster;
  private static Http http;
  private static String url;

  private String[] app;
  private String alice;
  private String bob;
  private String carol;

  @BeforeAll
  static void start() {
    cluster = GroupTestCluster.start();
    http = cluster.http;
    url = cluster.url;
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @BeforeEach
  void app() {
    app = cluster.createApp("chat");
    alice = cluster.registerDevice(app, "alice");
    bob = cluster.registerDevice(app, "bob");
    carol = cluster.registerDevice(app, null);
  }

  private String createGroup(Object... members) {
    Http.Answer created =
        http.post(url + "/v1/groups", Map.of("name", "friends", "owner", alice, "members", List.of(members)), app);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().get("group_id").asText();
  }

  @Test
  void aGroupIsCreatedWithMembersNamedByRegIdOrAliasAndReadBack() {
    Http.Answer created =
        http.post(url + "/v1/groups", Map.of("name", "friends", "owner", alice, "members", List.of("bob", carol)), app);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String groupId = created.json().get("group_id").asText();
    assertThat(created.json().get("member_count").asLong()).isEqualTo(3);
    assertThat(created.json().get("owner").asText()).isEqualTo(alice);

    Http.Answer found = http.get(url + "/v1/groups/" + groupId, app);
    assertThat(found.status()).isEqualTo(200);
    assertThat(found.json().get("name").asText()).isEqualTo("friends");

    Http.Answer members = http.get(url + "/v1/groups/" + groupId + "/members", app);
    assertThat(texts(members.json().get("members"))).containsExactlyInAnyOrder(alice, bob, carol);
    Http.Answer bobsGroups = http.get(url + "/v1/devices/" + bob + "/groups", app);
    assertThat(texts(bobsGroups.json().get("groups"))).containsExactly(groupId);
  }

  @Test
  void membersJoinAndLeaveAndEachChangeIsPublishedWithTheLogTop() throws Exception {
    String groupId = createGroup(bob);
    List<GroupMembershipChange> changes = new CopyOnWriteArrayList<>();
    try (AutoCloseable ignored = cluster.stores.groupBus().subscribe(changes::add)) {
      send(groupId, null, "one");
      send(groupId, null, "two");

      Http.Answer joined = http.post(url + "/v1/groups/" + groupId + "/members", Map.of("members", List.of(carol, bob)), app);
      assertThat(joined.status()).as(joined.toString()).isEqualTo(200);
      assertThat(texts(joined.json().get("added"))).containsExactly(carol);

      Http.Answer left = http.delete(url + "/v1/groups/" + groupId + "/members/" + bob, app);
      assertThat(left.status()).isEqualTo(204);
      assertThat(http.delete(url + "/v1/groups/" + groupId + "/members/" + bob, app).error()).isEqualTo("not_a_member");

      await().until(() -> changes.stream().filter(c -> c.groupId().equals(groupId)).count() == 2);
    }
    List<GroupMembershipChange> mine = changes.stream().filter(c -> c.groupId().equals(groupId)).toList();
    String epoch = cluster.stores.fanoutLog().top(app[0], FanoutEntry.groupChannel(groupId)).epoch();
    assertThat(mine.get(0)).isEqualTo(new GroupMembershipChange(app[0], groupId, java.util.Set.of(carol), true, 2, epoch));
    assertThat(mine.get(1)).isEqualTo(new GroupMembershipChange(app[0], groupId, java.util.Set.of(bob), false, 2, epoch));
    assertThat(texts(http.get(url + "/v1/devices/" + bob + "/groups", app).json().get("groups"))).isEmpty();
  }

  @Test
  void aSendGetsTheNextSequenceIsLoggedInTheGroupChannelAndPublishedOnTheFanoutBus() throws Exception {
    String groupId = createGroup(bob);
    List<FanoutEvent> events = new CopyOnWriteArrayList<>();
    try (AutoCloseable ignored = cluster.stores.fanoutBus().subscribe(events::add)) {
      JsonNode first = send(groupId, alice, "hello");
      JsonNode second = send(groupId, null, "from the server");
      assertThat(first.get("seq").asLong()).isEqualTo(1);
      assertThat(second.get("seq").asLong()).isEqualTo(2);
      assertThat(first.get("group_id").asText()).isEqualTo(groupId);

      await().until(() -> events.stream().filter(e -> groupId.equals(e.entry().groupId())).count() == 2);
      FanoutEvent event = events.stream().filter(e -> groupId.equals(e.entry().groupId())).findFirst().orElseThrow();
      assertThat(event.entry().channel()).isEqualTo("group:" + groupId);
      assertThat(event.entry().offset()).isEqualTo(1);
      assertThat(event.entry().sender()).isEqualTo(alice);
      assertThat(event.entry().msgId()).isEqualTo(first.get("msg_id").asText());
      assertThat(event.message().msgId()).isEqualTo(first.get("msg_id").asText());
      assertThat(new String(event.message().payload(), StandardCharsets.UTF_8)).isEqualTo("{\"text\":\"hello\"}");
    }
    FanoutPage log = cluster.stores.fanoutLog().read(app[0], FanoutEntry.groupChannel(groupId), null, 0, 10);
    assertThat(log.entries()).extracting(FanoutEntry::offset).containsExactly(1L, 2L);
    assertThat(log.entries()).extracting(FanoutEntry::sender).containsExactly(alice, "");
    // Nothing went to connectors member by member.
    assertThat(cluster.connector.deliveries()).noneMatch(d -> d.getMsgId().equals(first(log).msgId()));
  }

  @Test
  void historyIsInSequenceOrderAndPagesWithAfterSeq() {
    String groupId = createGroup(bob);
    for (int i = 1; i <= 5; i++) {
      send(groupId, i % 2 == 0 ? bob : null, "m" + i);
    }
    Http.Answer page = http.get(url + "/v1/groups/" + groupId + "/messages?after_seq=0&limit=3", app);
    assertThat(page.status()).as(page.toString()).isEqualTo(200);
    JsonNode messages = page.json().get("messages");
    assertThat(seqs(messages)).containsExactly(1L, 2L, 3L);
    assertThat(messages.get(0).get("message").get("text").asText()).isEqualTo("m1");
    assertThat(messages.get(0).has("from")).isFalse();
    assertThat(messages.get(1).get("from").asText()).isEqualTo(bob);
    assertThat(messages.get(1).get("sent_at").asLong()).isPositive();
    assertThat(messages.get(1).get("msg_id").asText()).hasSize(32);

    long next = page.json().get("next_after_seq").asLong();
    Http.Answer rest = http.get(url + "/v1/groups/" + groupId + "/messages?after_seq=" + next + "&limit=3", app);
    assertThat(seqs(rest.json().get("messages"))).containsExactly(4L, 5L);
    assertThat(rest.json().get("top_seq").asLong()).isEqualTo(5);
    assertThat(rest.json().get("recovered").asBoolean()).isTrue();
  }

  @Test
  void aNonMemberSenderIsRefusedAndNothingIsStored() {
    String groupId = createGroup(bob);
    Http.Answer refused =
        http.post(url + "/v1/groups/" + groupId + "/messages", Map.of("from", carol, "message", Map.of("t", 1)), app);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.error()).isEqualTo("not_a_member");
    assertThat(refused.message()).startsWith("from:");
    assertThat(cluster.stores.fanoutLog().top(app[0], FanoutEntry.groupChannel(groupId)).offset()).isZero();
  }

  @Test
  void badInputIsRefusedWithTheFieldNamed() {
    String groupId = createGroup(bob);
    String[] other = cluster.createApp("other");
    String stranger = cluster.registerDevice(other, "stranger");

    Http.Answer foreign =
        http.post(url + "/v1/groups", Map.of("name", "x", "members", List.of(bob, stranger)), app);
    assertThat(foreign.status()).isEqualTo(400);
    assertThat(foreign.error()).isEqualTo("invalid_field");
    assertThat(foreign.message()).startsWith("members[1]:");
    assertThat(http.post(url + "/v1/groups/" + groupId + "/members", Map.of("members", List.of(stranger)), app).message())
        .startsWith("members[0]:");

    assertThat(http.get(url + "/v1/groups/" + groupId + "/messages?after_seq=-1", app).message()).startsWith("after_seq:");
    assertThat(http.get(url + "/v1/groups/" + groupId + "/messages?after_seq=99", app).message()).startsWith("after_seq:");
    assertThat(http.get(url + "/v1/groups/" + groupId + "/messages?limit=0", app).message()).startsWith("limit:");
    assertThat(http.get(url + "/v1/groups/" + groupId + "/messages?limit=100000", app).message()).startsWith("limit:");
    assertThat(http.get(url + "/v1/groups/" + groupId + "/messages?limit=99999999999", app).message()).startsWith("limit:");

    Http.Answer oversize =
        http.post(url + "/v1/groups/" + groupId + "/messages", Map.of("message", "x".repeat(5000)), app);
    assertThat(oversize.status()).isEqualTo(413);
    assertThat(oversize.message()).startsWith("message:");
    Http.Answer noMessage = http.post(url + "/v1/groups/" + groupId + "/messages", Map.of("from", bob), app);
    assertThat(noMessage.message()).startsWith("message:");
    Http.Answer badTtl =
        http.post(url + "/v1/groups/" + groupId + "/messages", Map.of("message", "hi", "ttl", -5), app);
    assertThat(badTtl.message()).startsWith("ttl:");
    Http.Answer wrongType = http.post(url + "/v1/groups", Map.of("members", "not a list"), app);
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.message()).startsWith("members:");
    assertThat(cluster.stores.fanoutLog().top(app[0], FanoutEntry.groupChannel(groupId)).offset()).isZero();
  }

  @Test
  void aGroupOfAnotherAppIsNotFoundAndCredentialsAreRequired() {
    String groupId = createGroup(bob);
    String[] other = cluster.createApp("other");
    assertThat(http.get(url + "/v1/groups/" + groupId, other).status()).isEqualTo(404);
    assertThat(http.get(url + "/v1/groups/" + groupId + "/messages", other).status()).isEqualTo(404);
    assertThat(http.post(url + "/v1/groups/" + groupId + "/messages", Map.of("message", "x"), other).status())
        .isEqualTo(404);
    assertThat(http.delete(url + "/v1/groups/" + groupId, other).status()).isEqualTo(404);
    assertThat(http.get(url + "/v1/groups/nosuch", app).error()).isEqualTo("not_found");

    Http.Answer anonymous = http.get(url + "/v1/groups/" + groupId);
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.header("WWW-Authenticate")).startsWith("Basic");
    assertThat(http.get(url + "/v1/groups/" + groupId, app[0], "wrong").error()).isEqualTo("unauthorized");
  }

  @Test
  void dismissTellsEveryMemberTheyLeftAndTheGroupIsGone() throws Exception {
    String groupId = createGroup(bob, carol);
    send(groupId, null, "last");
    List<GroupMembershipChange> changes = new CopyOnWriteArrayList<>();
    try (AutoCloseable ignored = cluster.stores.groupBus().subscribe(changes::add)) {
      assertThat(http.delete(url + "/v1/groups/" + groupId, app).status()).isEqualTo(204);
      await().until(() -> changes.stream().anyMatch(c -> c.groupId().equals(groupId)));
    }
    GroupMembershipChange left = changes.stream().filter(c -> c.groupId().equals(groupId)).findFirst().orElseThrow();
    assertThat(left.joined()).isFalse();
    assertThat(left.regIds()).containsExactlyInAnyOrder(alice, bob, carol);
    assertThat(left.fromOffset()).isEqualTo(1);
    assertThat(http.get(url + "/v1/groups/" + groupId, app).status()).isEqualTo(404);
    assertThat(http.post(url + "/v1/groups/" + groupId + "/messages", Map.of("message", "x"), app).status())
        .isEqualTo(404);
    assertThat(texts(http.get(url + "/v1/devices/" + bob + "/groups", app).json().get("groups"))).isEmpty();
  }

  @Test
  void singleChatIsStoredPendingAndDeliveredThroughTheRecipientsNode() {
    cluster.connect(app[0], bob);
    Http.Answer online =
        http.post(url + "/v1/chat", Map.of("from", alice, "to", "bob", "message", Map.of("text", "hi bob")), app);
    assertThat(online.status()).as(online.toString()).isEqualTo(200);
    assertThat(online.json().get("delivered").asText()).isEqualTo("online");
    String msgId = online.json().get("msg_id").asText();
    List<Delivery> delivered = cluster.connector.deliveriesTo(bob);
    assertThat(delivered).extracting(Delivery::getMsgId).contains(msgId);
    Delivery delivery = delivered.stream().filter(d -> d.getMsgId().equals(msgId)).findFirst().orElseThrow();
    assertThat(delivery.getExtras()).containsEntry("from", alice);
    // Pending until the device acks it, as a unicast push is.
    assertThat(cluster.stores.messages().pending(bob, 10)).contains(msgId);

    Http.Answer offline = http.post(url + "/v1/chat", Map.of("to", carol, "message", "later"), app);
    assertThat(offline.json().get("delivered").asText()).isEqualTo("pending");
    assertThat(cluster.stores.messages().pending(carol, 10)).containsExactly(offline.json().get("msg_id").asText());

    Http.Answer unknown = http.post(url + "/v1/chat", Map.of("to", "nobody", "message", "x"), app);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.message()).startsWith("to:");
    cluster.registerDevice(app, "twins");
    cluster.registerDevice(app, "twins");
    assertThat(http.post(url + "/v1/chat", Map.of("to", "twins", "message", "x"), app).message()).startsWith("to:");
  }

  private JsonNode send(String groupId, String from, String text) {
    Map<String, Object> body = new java.util.HashMap<>(Map.of("message", Map.of("text", text)));
    if (from != null) {
      body.put("from", from);
    }
    Http.Answer sent = http.post(url + "/v1/groups/" + groupId + "/messages", body, app);
    assertThat(sent.status()).as(sent.toString()).isEqualTo(200);
    return sent.json();
  }

  private static FanoutEntry first(FanoutPage page) {
    return page.entries().get(0);
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<Long> seqs(JsonNode messages) {
    List<Long> out = new ArrayList<>();
    messages.forEach(n -> out.add(n.get("seq").asLong()));
    return out;
  }
}
