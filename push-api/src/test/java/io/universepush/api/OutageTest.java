package io.universepush.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.universepush.api.support.Http.Answer;
import io.universepush.api.support.TestCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Backends going away: 503 while they are gone, normal service once they are back. A cluster of its own. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutageTest {
  private static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(1);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void redisDownIs503AndServiceResumesWhenItIsBack() {
    String[] app = cluster.createApp("before-outage");
    String regId = cluster.registerDevice(app);
    assertThat(push(app, regId).status()).isEqualTo(200);

    cluster.redis.stop();
    try {
      assertStoreUnavailable(push(app, regId));
      assertStoreUnavailable(
          cluster.http.post(
              cluster.publicUrl + "/v1/push", Map.of("audience", Map.of("tags", List.of("t")), "alert", "hi"), app));
      assertStoreUnavailable(
          cluster.http.post(cluster.publicUrl + "/v1/push", Map.of("audience", "all", "alert", "hi"), app));
      assertStoreUnavailable(cluster.http.get(cluster.publicUrl + "/push/sendToAll?message=hi"));
      assertStoreUnavailable(
          cluster.http.get(cluster.publicUrl + "/v1/messages/0123456789abcdef0123456789abcdef", app));
      assertStoreUnavailable(cluster.http.get(cluster.publicUrl + "/v1/devices/" + regId, app));
      assertStoreUnavailable(cluster.http.post(cluster.adminUrl + "/v1/apps", Map.of("name", "during-outage")));
    } finally {
      cluster.redis.restart();
    }

    // The embedded Redis keeps no data across a restart: what comes back is service, on fresh data.
    String[] after =
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(500))
            .ignoreExceptions()
            .until(() -> cluster.createApp("after-outage"), created -> created != null);
    // push-subscribe has its own Redis connection, which comes back on its own schedule.
    String device =
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(500))
            .ignoreExceptionsMatching(failure -> true)
            .until(() -> cluster.registerDevice(after), registered -> registered != null);
    cluster.connect(after[0], device, cluster.node(1));
    Answer pushed = push(after, device);
    assertThat(pushed.status()).as(pushed.toString()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !cluster.node(1).connector().deliveriesTo(device).isEmpty());
  }

  @Test
  @Order(2)
  void subscribeServiceDownIs503() {
    String[] app = cluster.createApp("no-subscribe");
    cluster.subscribeServer.close();

    Answer answer =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> cluster.http.post(cluster.publicUrl + "/v1/devices", Map.of("platform", "android"), app),
                a -> a.status() != 201);

    assertThat(answer.status()).as(answer.toString()).isEqualTo(503);
    assertThat(answer.error()).isEqualTo("service_unavailable");
    assertThat(answer.message()).isNotBlank();
  }

  private static Answer push(String[] app, String regId) {
    return cluster.http.post(
        cluster.publicUrl + "/v1/push", Map.of("audience", Map.of("reg_ids", List.of(regId)), "alert", "hi"), app);
  }

  private static void assertStoreUnavailable(Answer answer) {
    assertThat(answer.status()).as(answer.toString()).isEqualTo(503);
    assertThat(answer.error()).isEqualTo("store_unavailable");
    assertThat(answer.message()).isNotBlank();
  }
}
