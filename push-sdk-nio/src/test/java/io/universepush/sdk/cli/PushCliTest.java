package io.universepush.sdk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.universepush.protocol.proto.Connect;
import io.universepush.protocol.proto.Push;
import io.universepush.sdk.AndroidOptions;
import io.universepush.sdk.CliTestSupport;
import io.universepush.sdk.FanoutPosition;
import io.universepush.sdk.IosOptions;
import io.universepush.sdk.PushMessage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PushCliTest {
  private final ExecutorService executor = Executors.newSingleThreadExecutor();
  private CliTestSupport support;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void start() throws Exception {
    support = new CliTestSupport();
  }

  @AfterEach
  void stop() throws Exception {
    executor.shutdownNow();
    support.close();
  }

  private Future<Integer> runCli(String... args) {
    return executor.submit(() -> PushCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args));
  }

  @Test
  void listenRegistersWithTheAppIdAlonePrintsTheDeviceAndOneJsonLinePerPush() throws Exception {
    support.answerRegistration("r-cli", "t-cli");

    Future<Integer> exit =
        runCli(
            "listen", "--api", support.apiUrl(), "--app-id", "app-1",
            "--alias", "me", "--tag", "a", "--tag", "b", "--count", "1");

    Connect connect = support.acceptConnect("node-1");
    assertThat(connect.getBindings(0).getRegId()).isEqualTo("r-cli");
    assertThat(connect.getBindings(0).getToken()).isEqualTo("t-cli");
    CliTestSupport.SeenRequest registration = support.nextRequest();
    assertThat(registration.uri).isEqualTo("/v1/devices");
    assertThat(registration.appId).isEqualTo("app-1");
    assertThat(registration.authorization).isNull();
    assertThat(registration.body).isEqualTo("{\"platform\":\"android\",\"alias\":\"me\",\"tags\":[\"a\",\"b\"]}");
    support.push(
        Push.newBuilder()
            .setMsgId("m-1")
            .setAppId("app-1")
            .setRegId("r-cli")
            .setTitle("Hi")
            .setAlert("You have mail")
            .setPayload(ByteString.copyFromUtf8("{\"n\": 1, \"s\": \"x\"}"))
            .putExtras("k", "v")
            .build());

    assertThat(exit.get(15, TimeUnit.SECONDS)).isZero();
    assertThat(out.toString())
        .isEqualTo(
            "{\"msg_id\":\"m-1\",\"app_id\":\"app-1\",\"reg_id\":\"r-cli\",\"title\":\"Hi\",\"alert\":\"You have mail\","
                + "\"message\":{\"n\":1,\"s\":\"x\"},\"extras\":{\"k\":\"v\"}}"
                + System.lineSeparator());
    assertThat(err.toString()).isEqualTo("registered reg_id=r-cli token=t-cli" + System.lineSeparator());
  }

  @Test
  void listenReusesADeviceOnAFixedConnectorAndPrintsATextPayloadAsAString() throws Exception {
    Future<Integer> exit =
        runCli(
            "listen", "--app-id", "app-1", "--reg-id", "r-old", "--token", "t-old",
            "--host", "127.0.0.1", "--port", String.valueOf(support.connectorPort()), "--count", "1");

    Connect connect = support.acceptConnect("node-1");
    assertThat(connect.getBindings(0).getRegId()).isEqualTo("r-old");
    support.push(
        Push.newBuilder().setMsgId("m-2").setAppId("app-1").setRegId("r-old")
            .setPayload(ByteString.copyFromUtf8("plain \"text\"")).build());

    assertThat(exit.get(15, TimeUnit.SECONDS)).isZero();
    assertThat(out.toString())
        .isEqualTo(
            "{\"msg_id\":\"m-2\",\"app_id\":\"app-1\",\"reg_id\":\"r-old\",\"title\":\"\",\"alert\":\"\","
                + "\"message\":\"plain \\\"text\\\"\",\"extras\":{}}"
                + System.lineSeparator());
    assertThat(err.toString()).isEqualTo("reg_id=r-old token=t-old" + System.lineSeparator());
  }

  @Test
  void listenWithAStateDirPrintsAPushOnceAcrossRunsAndResumesFromItsPosition(@TempDir Path dir) throws Exception {
    String[] args = {
      "listen", "--app-id", "app-1", "--reg-id", "r-old", "--token", "t-old", "--state-dir", dir.toString(),
      "--host", "127.0.0.1", "--port", String.valueOf(support.connectorPort()), "--count", "1"
    };
    Push first =
        Push.newBuilder().setMsgId("m-1").setAppId("app-1").setRegId("r-old").setFanoutPrevOffset(3)
            .setFanoutOffset(5).setPayload(ByteString.copyFromUtf8("1")).build();
    Future<Integer> exit = runCli(args);
    assertThat(CliTestSupport.positionIn(support.acceptConnect("node-1", false, new FanoutPosition(3, "e1"))))
        .isNull();
    support.push(first);
    assertThat(exit.get(15, TimeUnit.SECONDS)).isZero();

    exit = runCli(args);
    Connect again = support.acceptConnect("node-1", true, new FanoutPosition(5, "e1"));
    assertThat(CliTestSupport.positionIn(again)).isEqualTo(new FanoutPosition(5, "e1"));
    support.push(first.toBuilder().setAttempt(2).build());
    support.push(
        Push.newBuilder().setMsgId("m-2").setAppId("app-1").setRegId("r-old").setFanoutPrevOffset(5)
            .setFanoutOffset(6).setPayload(ByteString.copyFromUtf8("2")).build());
    assertThat(exit.get(15, TimeUnit.SECONDS)).isZero();

    assertThat(out.toString().split(System.lineSeparator()))
        .extracting(line -> line.substring(0, line.indexOf(',')))
        .containsExactly("{\"msg_id\":\"m-1\"", "{\"msg_id\":\"m-2\"");
    assertThat(dir.toFile().list()).contains("push-dedup", "push-positions");
  }

  @Test
  void listenAfterARestartFindsItsConnectorWithTheDeviceCredentials() throws Exception {
    support.answerRoute();

    Future<Integer> exit =
        runCli(
            "listen", "--api", support.apiUrl(), "--app-id", "app-1", "--reg-id", "r-old", "--token", "t-old",
            "--count", "1");

    Connect connect = support.acceptConnect("node-1");
    assertThat(connect.getBindings(0).getRegId()).isEqualTo("r-old");
    assertThat(connect.getBindings(0).getToken()).isEqualTo("t-old");
    CliTestSupport.SeenRequest route = support.nextRequest();
    assertThat(route.method).isEqualTo("GET");
    assertThat(route.uri).isEqualTo("/v1/route?reg_id=r-old");
    assertThat(route.appId).isEqualTo("app-1");
    assertThat(route.authorization).isEqualTo("Device r-old:t-old");
    support.push(Push.newBuilder().setMsgId("m-r").setAppId("app-1").setRegId("r-old").build());

    assertThat(exit.get(15, TimeUnit.SECONDS)).isZero();
    assertThat(out.toString()).contains("\"msg_id\":\"m-r\"");
  }

  @Test
  void theDeprecatedAppSecretIsIgnoredWithAWarningAndNeverSent() throws Exception {
    support.answerRegistration("r-dep", "t-dep");

    Future<Integer> exit =
        runCli(
            "listen", "--api", support.apiUrl(), "--app-id", "app-1", "--app-secret", "s3cret", "--count", "1");

    assertThat(support.acceptConnect("node-1").getBindings(0).getRegId()).isEqualTo("r-dep");
    CliTestSupport.SeenRequest registration = support.nextRequest();
    assertThat(registration.authorization).isNull();
    assertThat(registration.appId).isEqualTo("app-1");
    support.push(Push.newBuilder().setMsgId("m-d").setAppId("app-1").setRegId("r-dep").build());
    assertThat(exit.get(15, TimeUnit.SECONDS)).isZero();
    assertThat(err.toString()).startsWith("warning: --app-secret is deprecated and ignored");
    assertThat(err.toString()).doesNotContain("s3cret");
  }

  @Test
  void listenWithCacertRegistersOverHttpsAndReceivesOverTls() throws Exception {
    try (CliTestSupport tls = CliTestSupport.withTls()) {
      tls.answerRegistration("r-tls", "t-tls");
      assertThat(tls.apiUrl()).startsWith("https://");

      Future<Integer> exit =
          runCli(
              "listen", "--api", tls.apiUrl(), "--app-id", "app-1",
              "--cacert", CliTestSupport.certificatePem().toString(), "--count", "1");

      assertThat(tls.acceptConnect("node-tls").getBindings(0).getRegId()).isEqualTo("r-tls");
      tls.push(
          Push.newBuilder()
              .setMsgId("m-tls")
              .setAppId("app-1")
              .setRegId("r-tls")
              .setPayload(ByteString.copyFromUtf8("\"secret\""))
              .build());

      assertThat(exit.get(15, TimeUnit.SECONDS)).isZero();
      assertThat(out.toString()).contains("\"msg_id\":\"m-tls\"").contains("\"message\":\"secret\"");
    }
  }

  @Test
  void aRegIdWithoutItsTokenFailsWithUsage() throws Exception {
    assertThat(runCli("listen", "--app-id", "app-1", "--reg-id", "r-only").get(15, TimeUnit.SECONDS)).isEqualTo(2);
    assertThat(err.toString()).contains("--reg-id").contains("--token");
  }

  @Test
  void aRefusedRegistrationExitsWithTheApiError() throws Exception {
    support.answerRegistrationError(
        403, "{\"error\":\"registration_closed\",\"message\":\"app app-1 does not accept registration\"}");

    Future<Integer> exit = runCli("listen", "--api", support.apiUrl(), "--app-id", "app-1", "--count", "1");

    assertThat(exit.get(15, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(err.toString()).contains("HTTP 403 registration_closed: app app-1 does not accept registration");
  }

  @Test
  void theJsonLineCarriesIosAndAndroidOptionsOnlyWhenThePushHasThem() {
    Map<String, String> extras = new LinkedHashMap<String, String>();
    extras.put("k", "v");
    PushMessage withOptions =
        new PushMessage(
            "m-3", "app-1", "r", "{}".getBytes(StandardCharsets.UTF_8), "", "", null, 0, 0, 1, 5,
            new IosOptions("ding", 3, true, extras), new AndroidOptions(extras));
    PushMessage noBadge =
        new PushMessage(
            "m-4", "app-1", "r", "1".getBytes(StandardCharsets.UTF_8), "", "", null, 0, 0, 1, 0,
            new IosOptions(null, null, false, null), null);

    assertThat(ListenCommand.toJsonLine(withOptions))
        .isEqualTo(
            "{\"msg_id\":\"m-3\",\"app_id\":\"app-1\",\"reg_id\":\"r\",\"title\":\"\",\"alert\":\"\","
                + "\"message\":{},\"extras\":{},"
                + "\"ios\":{\"sound\":\"ding\",\"badge\":3,\"production\":true,\"extras\":{\"k\":\"v\"}},"
                + "\"android\":{\"extras\":{\"k\":\"v\"}}}");
    assertThat(ListenCommand.toJsonLine(noBadge))
        .endsWith(",\"ios\":{\"sound\":\"\",\"production\":false,\"extras\":{}}}");
  }

  @Test
  void aGroupMessagesJsonLineCarriesItsGroupSeqAndSender() {
    PushMessage group =
        new PushMessage(
            "gm-1", "app-1", "r", "{}".getBytes(StandardCharsets.UTF_8), "", "", null, 0, 0, 1, 12, null, null,
            "g-1", "reg-2");

    assertThat(ListenCommand.toJsonLine(group)).endsWith(",\"extras\":{},\"group_id\":\"g-1\",\"seq\":12,\"from\":\"reg-2\"}");
  }
}
