package io.universepush.standalone;

import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What a newcomer sees once the standalone system is up: where everything listens and what to paste next. */
final class StartupBanner {
  private StartupBanner() {}

  static String render(LocalCluster cluster) {
    ClusterPorts p = cluster.ports();
    String admin = cluster.adminUrl();
    String api = cluster.apiUrl();
    LocalCluster.Tls tls = cluster.tls();
    // With --tls the certificate is self-signed: curl trusts it through --cacert (-k would skip the check).
    String curl = tls == null ? "curl" : "curl --cacert " + tls.certificates().certificatePem();
    String tlsPort = tls == null ? "" : ", TLS 127.0.0.1:" + cluster.connectorTlsPort();
    // The JVM's default trust, used by the CLI's HTTP calls, read from the dev trust store (its password guards no
    // secret: the store holds the public certificate only).
    String java =
        tls == null
            ? "java"
            : "java -Djavax.net.ssl.trustStore=" + tls.certificates().trustStore()
                + " -Djavax.net.ssl.trustStorePassword=" + tls.certificates().password();
    return Stream.of(
        "",
        "Universe Push is up (standalone: embedded ZooKeeper and Redis, every service in this process)",
        "  ZooKeeper       127.0.0.1:" + p.zookeeper() + " (embedded)",
        "  Redis           127.0.0.1:" + p.redis() + " (embedded, "
            + (cluster.redisDataDir() == null ? "in memory" : "data in " + cluster.redisDataDir()) + ")",
        "  push-subscribe  Dubbo " + p.subscribeDubbo(),
        "  push-connector  TCP 127.0.0.1:" + p.connectorTcp() + tlsPort + ", WebSocket ws://127.0.0.1:"
            + p.connectorWebSocket() + "/ws, MQTT 127.0.0.1:" + p.connectorMqtt() + ", Dubbo " + p.connectorDubbo(),
        "  push-api        " + api + "  (admin " + admin + ", loopback only)",
        "  push-group      " + cluster.groupUrl() + "  (groups and chat, docs/GROUPS.md), Dubbo " + p.groupDubbo(),
        "",
        "Try it (docs: README.md, five-minute tour):",
        "  1. " + curl + " -s -X POST " + admin
            + "/v1/apps -H 'Content-Type: application/json' -d '{\"name\":\"demo\"}'",
        "  2. " + java + " -jar push-sdk-nio/target/push-cli.jar listen --api " + api
            + " --app-id APP_ID",
        "  3. " + curl + " -s -u APP_ID:APP_SECRET -X POST " + api
            + "/v1/push -H 'Content-Type: application/json' \\",
        "       -d '{\"audience\":{\"reg_ids\":[\"REG_ID\"]},\"alert\":\"hi\",\"message\":{\"text\":\"hello\"}}'",
        // An https page may not open ws://, and --tls leaves the WebSocket listener plain (docs/BROWSER.md).
        tls == null ? "  Or in a browser: " + api + "/demo (registers with APP_ID, lists the pushes)" : null,
        "Stop with Ctrl-C.",
        "")
        .filter(Objects::nonNull)
        .collect(Collectors.joining("\n"));
  }
}
