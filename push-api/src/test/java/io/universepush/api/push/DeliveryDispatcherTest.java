package io.universepush.api.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.universepush.api.cluster.ConnectorClient;
import io.universepush.api.cluster.ConnectorClient.NodeAddress;
import io.universepush.api.system.ApiProperties;
import io.universepush.rpc.connector.ConnectorService;
import io.universepush.rpc.connector.Delivery;
import io.universepush.rpc.connector.DeliveryOutcome;
import io.universepush.rpc.connector.DeliveryReport;
import io.universepush.rpc.connector.DeliveryResult;
import io.universepush.rpc.connector.NodeStats;
import io.universepush.store.node.ConnectorNode;
import io.universepush.store.node.NodeDirectory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.dubbo.rpc.RpcException;
import org.apache.dubbo.rpc.cluster.specifyaddress.Address;
import org.apache.dubbo.rpc.cluster.specifyaddress.UserSpecifiedAddressUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's ordering, batching, parallelism and failure handling, with an in-memory ConnectorService that
 * plays every node: it reads which node a call is aimed at from the address the client sets for Dubbo's router.
 */
class DeliveryDispatcherTest {
  private static final NodeAddress A = new NodeAddress("node-a", "127.0.0.1", 1001);
  private static final NodeAddress B = new NodeAddress("node-b", "127.0.0.1", 1002);

  private final Nodes nodes = new Nodes();
  private final LiveNodes directory = new LiveNodes(A, B);
  private DeliveryDispatcher dispatcher;

  @AfterEach
  void stop() throws InterruptedException {
    nodes.releaseAll();
    if (dispatcher != null) {
      dispatcher.destroy();
    }
  }

  @Test
  void aNodeGetsItsDeliveriesInOrderInBatchesOfAtMostTheBatchSize() {
    dispatcher = dispatcher(5, 2, 1000, 1000);
    CountDownLatch release = nodes.block(A);
    List<CompletableFuture<DeliveryOutcome>> outcomes = new ArrayList<>();
    outcomes.add(dispatcher.submit(A, delivery("m0")));
    await().atMost(Duration.ofSeconds(5)).until(() -> nodes.calls(A).size() == 1);
    for (int i = 1; i <= 22; i++) {
      outcomes.add(dispatcher.submit(A, delivery("m" + i)));
    }
    release.countDown();

    CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).orTimeout(5, TimeUnit.SECONDS).join();
    assertThat(outcomes).allSatisfy(o -> assertThat(o.join()).isEqualTo(DeliveryOutcome.WRITTEN));
    List<List<String>> calls = nodes.calls(A);
    assertThat(calls).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(5));
    // The 22 that queued up during the first call went out in full batches, not one call each.
    assertThat(calls).hasSize(6);
    assertThat(calls.stream().flatMap(List::stream).toList())
        .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(0, 22).mapToObj(i -> "m" + i).toList());
  }

  @Test
  void nodesAreCalledInParallel() {
    dispatcher = dispatcher(500, 2, 1000, 1000);
    CountDownLatch releaseA = nodes.block(A);

    CompletableFuture<DeliveryOutcome> toA = dispatcher.submit(A, delivery("a"));
    CompletableFuture<DeliveryOutcome> toB = dispatcher.submit(B, delivery("b"));

    assertThat(toB.orTimeout(5, TimeUnit.SECONDS).join()).isEqualTo(DeliveryOutcome.WRITTEN);
    assertThat(toA).isNotDone();
    releaseA.countDown();
    assertThat(toA.orTimeout(5, TimeUnit.SECONDS).join()).isEqualTo(DeliveryOutcome.WRITTEN);
  }

  @Test
  void aFailedCallFailsOnlyItsOwnDeliveries() {
    dispatcher = dispatcher(500, 2, 1000, 1000);
    nodes.fail(A);

    CompletableFuture<DeliveryOutcome> toA = dispatcher.submit(A, delivery("a"));
    CompletableFuture<DeliveryOutcome> toB = dispatcher.submit(B, delivery("b"));

    assertThat(toB.orTimeout(5, TimeUnit.SECONDS).join()).isEqualTo(DeliveryOutcome.WRITTEN);
    await().atMost(Duration.ofSeconds(5)).until(toA::isDone);
    assertThat(toA).isCompletedExceptionally();
    // The lane goes on after a failure.
    nodes.heal(A);
    assertThat(dispatcher.submit(A, delivery("again")).orTimeout(5, TimeUnit.SECONDS).join())
        .isEqualTo(DeliveryOutcome.WRITTEN);
  }

  @Test
  void aDeliveryTheNodeDoesNotReportOnCountsAsNotConnected() {
    dispatcher = dispatcher(500, 1, 1000, 1000);
    nodes.omitResults(A);

    assertThat(dispatcher.submit(A, delivery("x")).orTimeout(5, TimeUnit.SECONDS).join())
        .isEqualTo(DeliveryOutcome.NOT_CONNECTED);
  }

  @Test
  void withoutRoomADeliveryFailsFastInsteadOfQueueingWithoutBound() {
    dispatcher = dispatcher(500, 1, 1, 0);
    CountDownLatch release = nodes.block(A);
    CompletableFuture<DeliveryOutcome> first = dispatcher.submit(A, delivery("first"));
    await().atMost(Duration.ofSeconds(5)).until(() -> nodes.calls(A).size() == 1);

    CompletableFuture<DeliveryOutcome> second = dispatcher.submit(A, delivery("second"));

    assertThat(second).isCompletedExceptionally();
    release.countDown();
    assertThat(first.orTimeout(5, TimeUnit.SECONDS).join()).isEqualTo(DeliveryOutcome.WRITTEN);
    // Room is given back once a call is done.
    assertThat(dispatcher.submit(A, delivery("third")).orTimeout(5, TimeUnit.SECONDS).join())
        .isEqualTo(DeliveryOutcome.WRITTEN);
  }

  @Test
  void aNodeThatHangsDelaysNoOtherNodeEvenWithOneDeliveryThread() {
    dispatcher = dispatcher(500, 1, 1000, 1000);
    nodes.block(A);
    CompletableFuture<DeliveryOutcome> toA = dispatcher.submit(A, delivery("a"));
    await().atMost(Duration.ofSeconds(5)).until(() -> nodes.calls(A).size() == 1);

    for (int i = 0; i < 3; i++) {
      assertThat(dispatcher.submit(B, delivery("b" + i)).orTimeout(5, TimeUnit.SECONDS).join())
          .isEqualTo(DeliveryOutcome.WRITTEN);
    }
    assertThat(toA).isNotDone();
  }

  @Test
  void aFullLaneRefusesOnlyItsOwnNodesDeliveries() {
    dispatcher = dispatcher(500, 2, 1, 0);
    nodes.block(A);
    dispatcher.submit(A, delivery("first"));
    await().atMost(Duration.ofSeconds(5)).until(() -> nodes.calls(A).size() == 1);
    assertThat(dispatcher.submit(A, delivery("second"))).isCompletedExceptionally();

    assertThat(dispatcher.submit(B, delivery("b")).orTimeout(5, TimeUnit.SECONDS).join())
        .isEqualTo(DeliveryOutcome.WRITTEN);
  }

  @Test
  void aNodeGoneFromTheDirectoryIsNotCalledAndItsDeliveriesAreNotConnected() {
    dispatcher = dispatcher(500, 2, 1000, 1000);
    directory.remove(A);

    assertThat(dispatcher.submit(A, delivery("a")).orTimeout(5, TimeUnit.SECONDS).join())
        .isEqualTo(DeliveryOutcome.NOT_CONNECTED);
    assertThat(nodes.calls(A)).isEmpty();
    // A node that restarted on another Dubbo port is another node: the old address is not called either.
    NodeAddress oldA = new NodeAddress("node-b", "127.0.0.1", 999);
    assertThat(dispatcher.submit(oldA, delivery("old")).join()).isEqualTo(DeliveryOutcome.NOT_CONNECTED);
    assertThat(nodes.calls(oldA)).isEmpty();
  }

  private DeliveryDispatcher dispatcher(int batchSize, int threads, int maxQueued, long waitMillis) {
    ApiProperties properties =
        new ApiProperties(
            0,
            "127.0.0.1",
            65536,
            new ApiProperties.Push(
                4096, 86400, 604800, 1000, 1000, 100, 100000, batchSize, threads, maxQueued, waitMillis, 2000),
            new ApiProperties.Legacy(true));
    return new DeliveryDispatcher(new ConnectorClient(nodes), directory, properties, new SimpleMeterRegistry());
  }

  private static Delivery delivery(String msgId) {
    Delivery delivery = new Delivery();
    delivery.setMsgId(msgId);
    delivery.setAppId("app");
    delivery.setRegId("reg-" + msgId);
    delivery.setPayload(new byte[] {1});
    return delivery;
  }

  /** The node directory, in memory: the nodes the test calls live. */
  private static final class LiveNodes implements NodeDirectory {
    private final Map<String, ConnectorNode> nodes = new ConcurrentHashMap<>();

    LiveNodes(NodeAddress... live) {
      for (NodeAddress node : live) {
        register(new ConnectorNode(node.nodeId(), node.host(), 1, 0, 0, node.port(), 0, 1, 0, 0));
      }
    }

    void remove(NodeAddress node) {
      unregister(node.nodeId());
    }

    @Override
    public void register(ConnectorNode node) {
      nodes.put(node.nodeId(), node);
    }

    @Override
    public void update(ConnectorNode node) {
      register(node);
    }

    @Override
    public void unregister(String nodeId) {
      nodes.remove(nodeId);
    }

    @Override
    public List<ConnectorNode> liveNodes() {
      return List.copyOf(nodes.values());
    }

    @Override
    public Optional<ConnectorNode> find(String nodeId) {
      return Optional.ofNullable(nodes.get(nodeId));
    }

    @Override
    public void watch(Runnable onChange) {}
  }

  /** Every node in one object, told apart by the address the caller aimed the call at. */
  private static final class Nodes implements ConnectorService {
    private final Map<Integer, List<List<String>>> calls = new ConcurrentHashMap<>();
    private final Map<Integer, CountDownLatch> blocked = new ConcurrentHashMap<>();
    private final Map<Integer, Boolean> failing = new ConcurrentHashMap<>();
    private final Map<Integer, Boolean> silent = new ConcurrentHashMap<>();

    CountDownLatch block(NodeAddress node) {
      CountDownLatch latch = new CountDownLatch(1);
      blocked.put(node.port(), latch);
      return latch;
    }

    void releaseAll() {
      blocked.values().forEach(CountDownLatch::countDown);
    }

    void fail(NodeAddress node) {
      failing.put(node.port(), true);
    }

    void heal(NodeAddress node) {
      failing.remove(node.port());
    }

    void omitResults(NodeAddress node) {
      silent.put(node.port(), true);
    }

    List<List<String>> calls(NodeAddress node) {
      return List.copyOf(calls.getOrDefault(node.port(), List.of()));
    }

    @Override
    public DeliveryReport deliver(List<Delivery> batch) {
      Address address = UserSpecifiedAddressUtil.getAddress();
      int port = address.getPort();
      List<String> msgIds = batch.stream().map(Delivery::getMsgId).toList();
      calls.computeIfAbsent(port, p -> new CopyOnWriteArrayList<>()).add(msgIds);
      CountDownLatch latch = blocked.get(port);
      if (latch != null) {
        try {
          latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (failing.containsKey(port)) {
        throw new RpcException("node " + port + " is down");
      }
      List<DeliveryResult> results = new ArrayList<>();
      if (!silent.containsKey(port)) {
        batch.forEach(d -> results.add(new DeliveryResult(d.getMsgId(), d.getRegId(), DeliveryOutcome.WRITTEN)));
      }
      return new DeliveryReport("node-" + port, results);
    }

    @Override
    public boolean kick(String appId, String regId, String reason) {
      return false;
    }

    @Override
    public NodeStats stats() {
      return new NodeStats();
    }
  }
}
