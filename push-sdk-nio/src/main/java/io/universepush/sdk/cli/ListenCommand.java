package io.universepush.sdk.cli;

import io.universepush.protocol.legacy.LegacyJson;
import io.universepush.sdk.AndroidOptions;
import io.universepush.sdk.DeviceRegistrar;
import io.universepush.sdk.DeviceRegistration;
import io.universepush.sdk.FileDedupStore;
import io.universepush.sdk.FilePositionStore;
import io.universepush.sdk.IosOptions;
import io.universepush.sdk.PushApiException;
import io.universepush.sdk.PushClient;
import io.universepush.sdk.PushListener;
import io.universepush.sdk.PushMessage;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Registers a device with the app id alone (or reuses one) and prints every push it receives as one JSON line on
 * stdout. Status goes to stderr, so stdout can be piped into jq. Like an app on a phone it never needs the app secret:
 * the connector is found by a route lookup with the device's own token, unless --host/--port name one.
 */
@Command(
    name = "listen",
    mixinStandardHelpOptions = true,
    description = "Connect as a device and print each push as a JSON line.")
final class ListenCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--api", defaultValue = "http://127.0.0.1:8080", description = "HTTP API URL (default: ${DEFAULT-VALUE}).")
  String api;

  @Option(
      names = "--app-id",
      required = true,
      description = "The app id: registers a new device (the app must have open registration, the default).")
  String appId;

  /** Accepted and ignored, so that older scripts keep working; devices never need the secret. */
  @Option(names = "--app-secret", hidden = true, description = "Deprecated and ignored.")
  String appSecret;

  @Option(names = "--reg-id", description = "Reuse this device (with --token) instead of registering.")
  String regId;

  @Option(names = "--token", description = "The token of --reg-id.")
  String token;

  @Option(names = "--alias", description = "Alias for a new device.")
  String alias;

  @Option(names = "--tag", description = "Tag for a new device (repeatable).")
  List<String> tags = new ArrayList<String>();

  @Option(names = "--platform", defaultValue = "android", description = "Platform (default: ${DEFAULT-VALUE}).")
  String platform;

  @Option(names = "--count", defaultValue = "0", description = "Exit after this many pushes (default: run until killed).")
  int count;

  @Option(names = "--host", description = "Connector host, skipping route lookup (default 127.0.0.1 when --port is set).")
  String host;

  @Option(names = "--port", description = "Connector TCP port, skipping route lookup (default 6789, or 6790 with TLS, when --host is set).")
  Integer port;

  @Option(names = "--tls", description = "Connect to the connector's TLS port (use --port 6790 with --host).")
  boolean tls;

  @Option(
      names = "--cacert",
      description = "Trust the certificate(s) of this PEM file for the connector and an https --api (implies --tls).")
  File caCert;

  @Option(
      names = "--state-dir",
      description =
          "Keep the ids of pushes printed and the fan-out positions in this directory (files push-dedup and"
              + " push-positions), so a restarted listener neither prints a push twice nor misses a broadcast.")
  File stateDir;

  @Option(names = {"-v", "--verbose"}, description = "Report connection events on stderr.")
  boolean verbose;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (appSecret != null) {
      err.println(
          "warning: --app-secret is deprecated and ignored: devices register with --app-id alone and find their"
              + " connector with their own token; keep the secret on your server");
    }
    boolean reuse = regId != null || token != null;
    if (reuse && (regId == null || token == null)) {
      err.println("error: give --reg-id and --token together to reuse a device, or neither to register one");
      return 2;
    }
    SSLContext tlsContext;
    try {
      tlsContext = tlsContext();
    } catch (IOException | GeneralSecurityException e) {
      err.println("error: TLS setup failed" + (caCert == null ? "" : " for --cacert " + caCert) + ": " + e.getMessage());
      return 2;
    }
    PushClient.Builder builder = PushClient.builder().apiUrl(api).platform(platform);
    if (stateDir != null) {
      try {
        builder
            .dedupStore(new FileDedupStore(new File(stateDir, "push-dedup")))
            .positionStore(new FilePositionStore(new File(stateDir, "push-positions")));
      } catch (IOException e) {
        err.println("error: cannot open --state-dir " + stateDir + ": " + e.getMessage());
        return 2;
      }
    }
    if (tlsContext != null) {
      builder.tls(tlsContext);
    }
    if (reuse) {
      builder.credentials(appId, regId, token);
      err.println("reg_id=" + regId + " token=" + token);
    } else {
      DeviceRegistration registration;
      try {
        registration = DeviceRegistrar.registerWithAppId(api, appId, platform, alias, tags, tlsContext);
      } catch (PushApiException e) {
        err.println("error: registration refused: " + e.getMessage());
        return 1;
      } catch (IOException e) {
        err.println("error: registration failed: " + e.getMessage());
        return 1;
      }
      builder.registration(registration);
      err.println("registered reg_id=" + registration.regId() + " token=" + registration.token());
    }
    if (host != null || port != null) {
      builder.endpoint(host != null ? host : "127.0.0.1", port != null ? port : tlsContext != null ? 6790 : 6789);
    }
    err.flush();

    final CountDownLatch done = new CountDownLatch(count > 0 ? count : 1);
    PushClient client = builder.listener(new Printer(out, err, done)).build();
    // Ctrl-C still says goodbye to the server.
    Thread closeOnExit = new Thread(new Closer(client), "push-cli-close");
    Runtime.getRuntime().addShutdownHook(closeOnExit);
    client.connect();
    try {
      done.await();
    } finally {
      client.close();
      try {
        Runtime.getRuntime().removeShutdownHook(closeOnExit);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs or ran; close() is idempotent
      }
    }
    return 0;
  }

  /** The --cacert trust, the platform's with --tls alone, or null for plain TCP. */
  private SSLContext tlsContext() throws IOException, GeneralSecurityException {
    if (caCert != null) {
      return PemTrust.sslContext(caCert);
    }
    return tls ? SSLContext.getDefault() : null;
  }

  /** One JSON line per push; the payload is embedded as JSON when it is JSON. */
  static String toJsonLine(PushMessage message) {
    Map<String, Object> line = new LinkedHashMap<String, Object>();
    line.put("msg_id", message.msgId());
    line.put("app_id", message.appId());
    line.put("reg_id", message.regId());
    line.put("title", message.title());
    line.put("alert", message.alert());
    line.put("message", payload(message.payloadAsString()));
    line.put("extras", message.extras());
    if (message.groupId() != null) {
      line.put("group_id", message.groupId());
      line.put("seq", message.seq());
    }
    if (message.from() != null) {
      line.put("from", message.from());
    }
    IosOptions ios = message.ios();
    if (ios != null) {
      Map<String, Object> options = new LinkedHashMap<String, Object>();
      options.put("sound", ios.sound());
      if (ios.badge() != null) {
        options.put("badge", ios.badge());
      }
      options.put("production", ios.production());
      options.put("extras", ios.extras());
      line.put("ios", options);
    }
    AndroidOptions android = message.android();
    if (android != null) {
      Map<String, Object> options = new LinkedHashMap<String, Object>();
      options.put("extras", android.extras());
      line.put("android", options);
    }
    return LegacyJson.write(line);
  }

  private static Object payload(String text) {
    try {
      return LegacyJson.parse(text);
    } catch (IllegalArgumentException e) {
      return text;
    }
  }

  private final class Printer implements PushListener {
    private final PrintWriter out;
    private final PrintWriter err;
    private final CountDownLatch done;
    private final AtomicInteger printed = new AtomicInteger();

    Printer(PrintWriter out, PrintWriter err, CountDownLatch done) {
      this.out = out;
      this.err = err;
      this.done = done;
    }

    @Override
    public void onConnected(String nodeId) {
      if (verbose) {
        err.println("connected" + (nodeId.isEmpty() ? "" : " to " + nodeId));
        err.flush();
      }
    }

    @Override
    public void onDisconnected(String reason) {
      if (verbose) {
        err.println("disconnected: " + reason);
        err.flush();
      }
    }

    @Override
    public void onFanoutLost(String appId, String regId) {
      // Always reported: the pushes are gone for good, which whoever reads the output should know.
      err.println("fan-out lost for " + appId + "/" + regId + ": broadcasts sent while away are gone");
      err.flush();
    }

    @Override
    public void onGroupMessagesLost(String appId, String regId, String groupId) {
      err.println("group messages lost for " + appId + "/" + regId + " in " + groupId + ": sent while away, gone");
      err.flush();
    }

    @Override
    public void onMessage(PushMessage message) {
      if (count > 0 && printed.get() >= count) {
        return;
      }
      out.println(toJsonLine(message));
      out.flush();
      printed.incrementAndGet();
      if (count > 0) {
        done.countDown();
      }
    }
  }

  private static final class Closer implements Runnable {
    private final PushClient client;

    Closer(PushClient client) {
      this.client = client;
    }

    @Override
    public void run() {
      client.close();
    }
  }
}
