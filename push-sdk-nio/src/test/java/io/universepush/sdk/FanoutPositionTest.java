package io.universepush.sdk;

import static io.universepush.sdk.FakeConnector.accepted;
import static io.universepush.sdk.FakeConnector.positionIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.google.protobuf.ByteString;
import io.universepush.protocol.proto.Push;
import java.io.File;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fan-out position over real connections: sent on every CONNECT, taken from the server when the client has none
 * or the server could not continue from it, advanced as fan-out pushes are handled, kept in a store.
 */
class FanoutPositionTest {
  private static final String APP = "app-1";
  private static final String REG = "reg-1";

  @TempDir Path dir;

  private FakeConnector server;
  private RecordingListener listener;
  private final List<PushClient> clients = new ArrayList<PushClient>();

  @BeforeEach
  void startServer() throws Exception {
    server = new FakeConnector();
    listener = new RecordingListener();
  }

  @AfterEach
  void stop() throws Exception {
    for (PushClient client : clients) {
      client.close();
    }
    server.close();
  }

  private PushClient.Builder builder(PositionStore positions) {
    return PushClient.builder()
        .endpoint("127.0.0.1", server.port())
        .credentials(APP, REG, "token-1")
        .positionStore(positions)
        .listener(listener)
        .reconnectBackoff(20, 200)
        .reconnectJitter(0);
  }

  private PushClient start(PushClient.Builder builder) {
    PushClient client = builder.build();
    clients.add(client);
    client.connect();
    return client;
  }

  private static Push fanout(String msgId, long prevOffset, long offset) {
    return Push.newBuilder()
        .setMsgId(msgId)
        .setAppId(APP)
        .setRegId(REG)
        .setFanoutPrevOffset(prevOffset)
        .setFanoutOffset(offset)
        .setPayload(ByteString.copyFromUtf8("{}"))
        .setAttempt(1)
        .build();
  }

  private static void accept(FakeConnector.Connection connection, boolean recovered, FanoutPosition position)
      throws Exception {
    connection.acceptConnect("node-a", Collections.singletonList(accepted(APP, REG, recovered, position)));
  }

  @Test
  void aNewDeviceSendsNoPositionTakesTheServersAndReconnectsFromWhereItGot() throws Exception {
    start(builder(new MemoryPositionStore()));
    FakeConnector.Connection first = server.accept();
    assertThat(positionIn(first.readConnect(), 0)).isNull();
    accept(first, false, new FanoutPosition(10, "e1"));

    first.push(fanout("m-1", 10, 12));
    first.push(fanout("m-2", 12, 15));
    first.readAck();
    first.readAck();
    first.close();

    FakeConnector.Connection second = server.accept();
    assertThat(positionIn(second.readConnect(), 0)).isEqualTo(new FanoutPosition(15, "e1"));
    accept(second, true, new FanoutPosition(15, "e1"));
    second.untilPong();
    assertThat(listener.events).doesNotContain("fanout lost " + APP + "/" + REG);
  }

  @Test
  void whenTheServerCannotRecoverTheClientTakesItsPositionAndTellsTheAppOnce() throws Exception {
    MemoryPositionStore positions = new MemoryPositionStore();
    positions.savePosition(APP, REG, new FanoutPosition(5, "e1"));
    start(builder(positions));

    FakeConnector.Connection first = server.accept();
    assertThat(positionIn(first.readConnect(), 0)).isEqualTo(new FanoutPosition(5, "e1"));
    accept(first, false, new FanoutPosition(100, "e2"));
    assertThat(listener.nextEvent()).isEqualTo("connecting");
    assertThat(listener.nextEvent()).isEqualTo("connected node-a");
    assertThat(listener.nextEvent()).isEqualTo("fanout lost " + APP + "/" + REG);
    assertThat(positions.position(APP, REG)).isEqualTo(new FanoutPosition(100, "e2"));
    first.push(fanout("m-101", 100, 101));
    first.readAck();
    first.close();

    FakeConnector.Connection second = server.accept();
    assertThat(positionIn(second.readConnect(), 0)).isEqualTo(new FanoutPosition(101, "e2"));
    accept(second, true, new FanoutPosition(101, "e2"));
    second.untilPong();
    assertThat(listener.events).doesNotContain("fanout lost " + APP + "/" + REG);
    assertThat(positions.position(APP, REG)).isEqualTo(new FanoutPosition(101, "e2"));
  }

  @Test
  void aDuplicateFanoutPushStillAdvancesThePosition() throws Exception {
    MemoryPositionStore positions = new MemoryPositionStore();
    positions.savePosition(APP, REG, new FanoutPosition(19, "e1"));
    MemoryDedupStore dedup = new MemoryDedupStore();
    dedup.markSeen(APP, REG, "m-seen");
    start(builder(positions).dedupStore(dedup));
    FakeConnector.Connection connection = server.accept();
    connection.readConnect();
    accept(connection, true, new FanoutPosition(19, "e1"));

    connection.push(fanout("m-seen", 19, 20));
    assertThat(connection.readAck().getMsgIdsList()).containsExactly("m-seen");

    assertThat(positions.position(APP, REG)).isEqualTo(new FanoutPosition(20, "e1"));
    assertThat(listener.messages).isEmpty();
  }

  @Test
  void aFilePositionStoreCarriesThePositionIntoANewClientInstance() throws Exception {
    File file = dir.resolve("state/positions.properties").toFile();
    PushClient before = start(builder(new FilePositionStore(file)));
    FakeConnector.Connection first = server.accept();
    first.readConnect();
    accept(first, false, new FanoutPosition(0, "e1"));
    first.push(fanout("m-1", 0, 1));
    first.push(fanout("m-2", 1, 4));
    first.readAck();
    first.readAck();
    before.close();

    // The app process restarts.
    start(builder(new FilePositionStore(file)));

    FakeConnector.Connection second = server.accept();
    assertThat(positionIn(second.readConnect(), 0)).isEqualTo(new FanoutPosition(4, "e1"));
  }

  @Test
  void aFilePositionStoreKeepsOnePositionPerBindingAndLeavesNoTemporaryFile() throws Exception {
    File file = dir.resolve("positions").toFile();
    FilePositionStore store = new FilePositionStore(file);
    store.savePosition("app-1", "reg-1", new FanoutPosition(1, "e1"));
    store.savePosition("app-2", "reg-1", new FanoutPosition(2, "epoch with spaces = and : too"));
    store.savePosition("app=odd:key", "reg\nline", new FanoutPosition(3, ""));
    store.savePosition("app-1", "reg-1", new FanoutPosition(4, "e2"));

    FilePositionStore reopened = new FilePositionStore(file);

    assertThat(reopened.position("app-1", "reg-1")).isEqualTo(new FanoutPosition(4, "e2"));
    assertThat(reopened.position("app-2", "reg-1")).isEqualTo(new FanoutPosition(2, "epoch with spaces = and : too"));
    assertThat(reopened.position("app=odd:key", "reg\nline")).isEqualTo(new FanoutPosition(3, ""));
    assertThat(reopened.position("app-3", "reg-1")).isNull();
    assertThat(dir.toFile().list()).containsExactly("positions");
  }

  @Test
  void aFileOfOldFanoutCursorsCountsAsNoPosition() throws Exception {
    File file = dir.resolve("push-cursors").toFile();
    try (OutputStream out = new FileOutputStream(file)) {
      out.write("app-1\\nreg-1=1700000000000-3\nbroken=12x e1\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    FilePositionStore store = new FilePositionStore(file);
    assertThat(store.position("app-1", "reg-1")).isNull();
    start(builder(store));

    assertThat(positionIn(server.accept().readConnect(), 0)).isNull();
  }

  @Test
  void aFilePositionStoreKeepsGroupPositionsBesideTheAppsAndForgetsAGroupOnDisk() throws Exception {
    File file = dir.resolve("positions").toFile();
    try (OutputStream out = new FileOutputStream(file)) {
      // The format of SDKs before groups: app channel only.
      out.write("app-1\\nreg-1=7 e1\n".getBytes(StandardCharsets.ISO_8859_1));
    }
    FilePositionStore store = new FilePositionStore(file);
    store.savePosition("app-1", "reg-1", "g-1", new FanoutPosition(3, "g1e"));
    store.savePosition("app-1", "reg-1", "g-2", new FanoutPosition(5, "g2e"));
    store.savePosition("app-2", "reg-1", "g-3", new FanoutPosition(1, "x"));
    store.forgetGroup("app-1", "reg-1", "g-2");

    FilePositionStore reopened = new FilePositionStore(file);

    assertThat(reopened.position("app-1", "reg-1")).isEqualTo(new FanoutPosition(7, "e1"));
    assertThat(reopened.position("app-1", "reg-1", PositionStore.APP_CHANNEL)).isEqualTo(new FanoutPosition(7, "e1"));
    assertThat(reopened.groupPositions("app-1", "reg-1")).containsOnly(entry("g-1", new FanoutPosition(3, "g1e")));
    assertThat(reopened.groupPositions("app-2", "reg-1")).containsOnly(entry("g-3", new FanoutPosition(1, "x")));
    assertThat(reopened.position("app-1", "reg-1", "g-2")).isNull();
  }

  @Test
  void aMemoryPositionStoreKeepsChannelsApart() {
    MemoryPositionStore store = new MemoryPositionStore();
    store.savePosition(APP, REG, new FanoutPosition(7, "e1"));
    store.savePosition(APP, REG, "g-1", new FanoutPosition(3, "g1e"));

    assertThat(store.position(APP, REG)).isEqualTo(new FanoutPosition(7, "e1"));
    assertThat(store.groupPositions(APP, REG)).containsOnly(entry("g-1", new FanoutPosition(3, "g1e")));
    store.forgetGroup(APP, REG, "g-1");
    assertThat(store.groupPositions(APP, REG)).isEmpty();
    assertThat(store.position(APP, REG)).isEqualTo(new FanoutPosition(7, "e1"));
  }
}
