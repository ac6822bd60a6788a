package io.universepush.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.universepush.protocol.proto.Connect;
import io.universepush.protocol.proto.Push;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fan-out cursor: advanced per binding as fan-out pushes are handled, kept in a store, sent on every CONNECT. */
class FanoutCursorTest {
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

  private PushClient start(CursorStore cursors) {
    PushClient client =
        PushClient.builder()
            .endpoint("127.0.0.1", server.port())
            .credentials("app-1", "reg-1", "token-1")
            .cursorStore(cursors)
            .listener(listener)
            .reconnectBackoff(20, 200)
            .reconnectJitter(0)
            .build();
    clients.add(client);
    client.connect();
    return client;
  }

  private static Push fanout(String msgId, String fanoutId) {
    return Push.newBuilder()
        .setMsgId(msgId)
        .setAppId("app-1")
        .setRegId("reg-1")
        .setFanoutId(fanoutId)
        .setPayload(ByteString.copyFromUtf8("{}"))
        .setAttempt(1)
        .build();
  }

  private static String cursorIn(Connect connect) {
    return connect.getBindings(0).getFanoutCursor();
  }

  @Test
  void theFirstConnectHasNoCursorAndEachReconnectSendsTheLastFanoutIdHandled() throws Exception {
    start(new MemoryCursorStore());
    FakeConnector.Connection first = server.accept();
    assertThat(cursorIn(first.readConnect())).isEmpty();
    first.acceptConnect("node-a");

    first.push(fanout("m-1", "9-5"));
    first.push(fanout("m-2", "10-0")); // after 9-5 as numbers, before it as strings
    first.push(Push.newBuilder().setMsgId("m-unicast").setAppId("app-1").setRegId("reg-1").build());
    first.readAck();
    first.readAck();
    first.readAck();
    first.close();

    FakeConnector.Connection second = server.accept();
    assertThat(cursorIn(second.readConnect())).isEqualTo("10-0");
  }

  @Test
  void anOlderOrMalformedFanoutIdNeverMovesTheCursorBack() throws Exception {
    MemoryCursorStore cursors = new MemoryCursorStore();
    cursors.saveCursor("app-1", "reg-1", "1700000000000-3");
    start(cursors);
    FakeConnector.Connection first = server.accept();
    assertThat(cursorIn(first.readConnect())).isEqualTo("1700000000000-3");
    first.acceptConnect("node-a");

    first.push(fanout("m-old", "1700000000000-2"));
    first.push(fanout("m-bad", "not-an-id"));
    first.readAck();
    first.readAck();

    assertThat(listener.nextMessage().msgId()).isEqualTo("m-old");
    assertThat(listener.nextMessage().msgId()).isEqualTo("m-bad");
    assertThat(cursors.cursor("app-1", "reg-1")).isEqualTo("1700000000000-3");
  }

  @Test
  void aDuplicateFanoutMessageStillAdvancesTheCursor() throws Exception {
    MemoryCursorStore cursors = new MemoryCursorStore();
    MemoryDedupStore dedup = new MemoryDedupStore();
    dedup.firstSeen("app-1", "reg-1", "m-seen");
    PushClient client =
        PushClient.builder()
            .endpoint("127.0.0.1", server.port())
            .credentials("app-1", "reg-1", "token-1")
            .cursorStore(cursors)
            .dedupStore(dedup)
            .listener(listener)
            .build();
    clients.add(client);
    client.connect();
    FakeConnector.Connection connection = server.acceptAndAuthenticate("node-a");

    connection.push(fanout("m-seen", "20-1"));
    assertThat(connection.readAck().getMsgIdsList()).containsExactly("m-seen");

    assertThat(cursors.cursor("app-1", "reg-1")).isEqualTo("20-1");
    assertThat(listener.messages).isEmpty();
  }

  @Test
  void aFileCursorStoreCarriesTheCursorIntoANewClientInstance() throws Exception {
    File file = dir.resolve("state/cursors.properties").toFile();
    PushClient before = start(new FileCursorStore(file));
    FakeConnector.Connection first = server.acceptAndAuthenticate("node-a");
    first.push(fanout("m-1", "1700000000000-0"));
    first.push(fanout("m-2", "1700000000001-4"));
    first.readAck();
    first.readAck();
    before.close();

    // The app process restarts.
    start(new FileCursorStore(file));

    FakeConnector.Connection second = server.accept();
    assertThat(cursorIn(second.readConnect())).isEqualTo("1700000000001-4");
  }

  @Test
  void aFileCursorStoreKeepsOneCursorPerBindingAndLeavesNoTemporaryFile() throws Exception {
    File file = dir.resolve("cursors").toFile();
    FileCursorStore store = new FileCursorStore(file);
    store.saveCursor("app-1", "reg-1", "1-1");
    store.saveCursor("app-2", "reg-1", "2-2");
    store.saveCursor("app=odd:key", "reg\nline", "3-3");
    store.saveCursor("app-1", "reg-1", "4-4");

    FileCursorStore reopened = new FileCursorStore(file);

    assertThat(reopened.cursor("app-1", "reg-1")).isEqualTo("4-4");
    assertThat(reopened.cursor("app-2", "reg-1")).isEqualTo("2-2");
    assertThat(reopened.cursor("app=odd:key", "reg\nline")).isEqualTo("3-3");
    assertThat(reopened.cursor("app-3", "reg-1")).isNull();
    assertThat(dir.toFile().list()).containsExactly("cursors");
  }
}
