package io.universepush.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.universepush.rpc.connector.DeliveryOutcome;
import io.universepush.store.device.DeviceRegistration;
import io.universepush.store.message.MessageStats;
import io.universepush.store.message.StoredMessage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A device that is Mosquitto's own command-line subscriber, as in the README's tour. */
@ExtendWith(ConnectorCluster.Extension.class)
class MqttMosquittoSubTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static ConnectorCluster cluster;

  @BeforeAll
  static void setUp(ConnectorCluster shared) {
    cluster = shared;
  }

  @Test
  void mosquittoSubReceivesAPushAndAcksIt() throws Exception {
    Path binary = onPath("mosquitto_sub");
    Assumptions.assumeTrue(
        binary != null, "mosquitto_sub is not installed: apt-get install -y mosquitto-clients (Debian)");
    String appId = cluster.newApp();
    DeviceRegistration device = cluster.newDevice(appId);
    String regId = device.device().regId();
    Process sub =
        new ProcessBuilder(
                List.of(
                    binary.toString(), "-h", "127.0.0.1", "-p", Integer.toString(cluster.mqttPort()),
                    "-V", "mqttv311", "-q", "1", "-i", regId, "-u", appId, "-P", device.token(),
                    "-t", "push/" + regId, "-c",
                    // One message, then exit; give up after the wait.
                    "-C", "1", "-W", Long.toString(WAIT.toSeconds())))
            .redirectErrorStream(true)
            .start();
    try {
      await().atMost(WAIT).until(() -> cluster.stores().routes().find(regId).isPresent());
      StoredMessage message = cluster.storePending(appId, regId, "{\"text\":\"hello mosquitto\"}");
      assertThat(cluster.deliver(ConnectorCluster.delivery(message, regId)).getResults())
          .singleElement()
          .satisfies(r -> assertThat(r.getOutcome()).isEqualTo(DeliveryOutcome.WRITTEN));

      assertThat(sub.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("mosquitto_sub exits after one message").isTrue();
      String output = new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      assertThat(sub.exitValue()).as(output).isZero();
      JsonObject push = JsonParser.parseString(output).getAsJsonObject();
      assertThat(push.get("msg_id").getAsString()).isEqualTo(message.msgId());
      assertThat(push.getAsJsonObject("message").get("text").getAsString()).isEqualTo("hello mosquitto");
      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(cluster.stores().messages().pending(regId, 10)).isEmpty();
        assertThat(cluster.stores().stats().counters(message.msgId())).containsEntry(MessageStats.DELIVERED, 1L);
      });
    } finally {
      sub.destroyForcibly();
    }
  }

  private static Path onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String directory : path.split(File.pathSeparator)) {
      Path candidate = Path.of(directory, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
