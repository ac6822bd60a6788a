package io.universepush.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The browser SDK and the demo page in a real headless Chromium against the whole system: the page registers a
 * device with the app id alone, connects over WebSocket, shows pushes sent over HTTP and acknowledges them.
 * Skipped when Debian's {@code chromium} and {@code chromium-driver} are not installed.
 */
class BrowserDemoTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static LocalCluster cluster;
  private static final ClusterHttp http = new ClusterHttp();
  private static ChromeDriverService driverService;
  private static WebDriver browser;
  private static Path profile;

  @BeforeAll
  static void start() throws IOException {
    Assumptions.assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "needs headless Chromium: install the Debian packages chromium and chromium-driver"
            + " (apt-get install -y chromium chromium-driver) for " + CHROMIUM + " and " + CHROMEDRIVER);
    // Every port random, the WebSocket one included; the route lookup tells the page which.
    cluster = LocalCluster.start(ClusterPorts.random(), List.of("--dubbo.service.shutdown.wait=1000"));
    profile = Files.createTempDirectory("chromium-profile");
    driverService =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // Without the background-networking flags Chromium calls home, which this closed network refuses.
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--user-data-dir=" + profile.toAbsolutePath());
    browser = new ChromeDriver(driverService, options);
  }

  @AfterAll
  static void stop() throws IOException {
    if (browser != null) {
      browser.quit();
    }
    if (driverService != null) {
      driverService.stop();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (profile != null) {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  /** Each test starts as a first visit: no remembered device, no stored positions. */
  @BeforeEach
  void freshPage() {
    browser.get(cluster.apiUrl() + "/demo");
    js("localStorage.clear();");
    browser.navigate().refresh();
    waitFor(d -> "NEW".equals(text("state")), "a fresh page");
  }

  @Test
  void theDemoRegistersConnectsShowsAPushAndAcksIt() {
    TestApp app = TestApp.create(cluster, http, "browser-demo");
    String regId = registerOnThePage(app);

    ClusterHttp.Reply push =
        app.pushRaw(
            "{\"audience\":{\"reg_ids\":[\"" + regId + "\"]},\"alert\":\"from the test\","
                + "\"message\":{\"text\":\"hello browser\"},\"ttl\":600}");
    assertThat(push.status()).isEqualTo(200);
    String msgId = push.body().get("msg_id").asText();

    WebElement shown = waitForPush(msgId);
    assertThat(shown.getText()).contains("from the test").contains("hello browser").contains(msgId);
    assertThat(shown.findElement(By.className("time")).getText()).matches(".*\\d{1,2}:\\d{2}:\\d{2}.*");
    assertDelivered(app, msgId);
    assertThat(storedSeenIds(app.appId(), regId)).containsExactly(msgId);
  }

  @Test
  void thePushFormSendsWithThePastedSecretAndNeverStoresIt() {
    TestApp app = TestApp.create(cluster, http, "browser-form");
    registerOnThePage(app);
    String secret = app.auth().substring(app.auth().indexOf(':') + 1);

    browser.findElement(By.id("app-secret")).sendKeys(secret);
    WebElement text = browser.findElement(By.id("push-text"));
    text.clear();
    text.sendKeys("sent from the page");
    browser.findElement(By.id("send-push")).click();
    waitFor(d -> !attribute("push-result", "data-msg-id").isEmpty(), "the push form's answer");
    String msgId = attribute("push-result", "data-msg-id");

    assertThat(waitForPush(msgId).getText()).contains("sent from the page");
    assertDelivered(app, msgId);
    String stored =
        (String)
            js(
                "return JSON.stringify(Object.assign({}, localStorage)) + JSON.stringify(Object.assign({},"
                    + " sessionStorage)) + document.cookie;");
    assertThat(stored).doesNotContain(secret);
  }

  @Test
  void aReloadReconnectsAsTheSameDeviceAndKeepsItsFanoutPosition() throws IOException {
    TestApp app = TestApp.create(cluster, http, "browser-reload");
    String regId = registerOnThePage(app);

    String first = fanOut(app, "first to all");
    assertThat(waitForPush(first).getText()).contains("first to all").contains("fan-out offset");
    long firstOffset = storedOffset(app.appId(), regId);
    assertThat(firstOffset).isPositive();

    browser.navigate().refresh();
    waitFor(d -> "CONNECTED".equals(text("state")), "reconnection after the reload");
    assertThat(text("reg-id")).isEqualTo(regId);
    String second = fanOut(app, "second to all");
    assertThat(waitForPush(second).getText()).contains("second to all");
    // The first one is not delivered again: the page's list holds only the second.
    assertThat(browser.findElements(By.cssSelector("#pushes li.push"))).hasSize(1);
    await().atMost(WAIT).until(() -> storedOffset(app.appId(), regId) > firstOffset);
  }

  /** universe-push.unit.js: the SDK's own rules (positions, dedup, acks, back-off, heartbeats) on a fake socket. */
  @Test
  void theSdkPassesItsUnitTestsInChromium() throws IOException {
    String tests;
    try (var in = BrowserDemoTest.class.getResourceAsStream("universe-push.unit.js")) {
      tests = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
    String result =
        (String)
            ((JavascriptExecutor) browser)
                .executeAsyncScript(
                    tests
                        + "\nconst done = arguments[arguments.length - 1];"
                        + "import('/sdk/universe-push.js').then(unitTests).then("
                        + "r => done(JSON.stringify(r)),"
                        + " e => done(JSON.stringify({ran: 0, failures: ['load: ' + (e && e.stack || e)]})));");
    JsonNode outcome = JSON.readTree(result);
    assertThat(outcome.get("failures")).as(result).isEmpty();
    assertThat(outcome.get("ran").asInt()).isGreaterThanOrEqualTo(14);
  }

  private String registerOnThePage(TestApp app) {
    browser.findElement(By.id("app-id")).sendKeys(app.appId());
    browser.findElement(By.id("register")).click();
    waitFor(d -> "CONNECTED".equals(text("state")), "the page to register and connect");
    assertThat(text("state-detail")).contains("ws://").contains("/ws");
    String regId = text("reg-id");
    assertThat(regId).isNotBlank();
    return regId;
  }

  private String fanOut(TestApp app, String text) {
    ClusterHttp.Reply push = app.push("\"all\"", "{\"text\":\"" + text + "\"}", 600);
    assertThat(push.status()).isEqualTo(200);
    return push.body().get("msg_id").asText();
  }

  private WebElement waitForPush(String msgId) {
    By selector = By.cssSelector("#pushes li.push[data-msg-id='" + msgId + "']");
    waitFor(d -> !d.findElements(selector).isEmpty(), "push " + msgId + " on the page");
    return browser.findElement(selector);
  }

  private static void assertDelivered(TestApp app, String msgId) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              JsonNode status = app.status(msgId);
              assertThat(status.get("delivered").asLong()).isEqualTo(1);
              assertThat(status.get("pending").asLong()).isZero();
            });
  }

  private List<String> storedSeenIds(String appId, String regId) {
    try {
      String stored =
          (String) js("return localStorage.getItem(arguments[0]);", "universe-push:seen:" + appId + ":" + regId);
      return List.of(JSON.readValue(stored, String[].class));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private long storedOffset(String appId, String regId) throws IOException {
    String stored =
        (String) js("return localStorage.getItem(arguments[0]);", "universe-push:position:" + appId + ":" + regId);
    return stored == null ? 0 : JSON.readTree(stored).get("offset").asLong();
  }

  private void waitFor(Function<WebDriver, Boolean> condition, String what) {
    try {
      new WebDriverWait(browser, WAIT).until(condition);
    } catch (TimeoutException e) {
      throw new AssertionError(
          "timed out waiting for " + what + "; page state: " + text("state") + " " + text("state-detail")
              + ", error: " + text("error"),
          e);
    }
  }

  private static String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private static String attribute(String id, String name) {
    String value = browser.findElement(By.id(id)).getAttribute(name);
    return value == null ? "" : value;
  }

  private static Object js(String script, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(script, args);
  }
}
