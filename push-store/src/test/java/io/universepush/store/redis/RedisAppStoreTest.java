package io.universepush.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.universepush.store.app.App;
import io.universepush.store.app.AppCredentials;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.client.codec.StringCodec;

class RedisAppStoreTest extends RedisTestServer {
  private String prefix;
  private RedisAppStore apps;

  @BeforeEach
  void setUp() {
    prefix = uniquePrefix();
    apps = new RedisAppStore(redisson, prefix);
  }

  @Test
  void createdAppIsFoundAndItsSecretVerifies() {
    AppCredentials created = apps.create("weather");

    assertThat(created.app().appId()).matches("[0-9a-f]{16}");
    assertThat(created.app().name()).isEqualTo("weather");
    assertThat(created.secret()).hasSizeGreaterThanOrEqualTo(22).matches("[A-Za-z0-9_-]+");
    assertThat(apps.find(created.app().appId())).contains(created.app());
    assertThat(apps.verifySecret(created.app().appId(), created.secret())).isTrue();
    assertThat(apps.verifySecret(created.app().appId(), created.secret() + "x")).isFalse();
    assertThat(apps.verifySecret(created.app().appId(), "")).isFalse();
    assertThat(apps.verifySecret("0000000000000000", created.secret())).isFalse();
  }

  @Test
  void secretIsStoredOnlyAsItsHash() {
    AppCredentials created = apps.create("weather");

    String stored =
        redisson
            .<String, String>getMap(new RedisKeys(prefix).app(created.app().appId()), StringCodec.INSTANCE)
            .get("secret");
    assertThat(stored).isEqualTo(Secrets.sha256Hex(created.secret())).isNotEqualTo(created.secret());
  }

  @Test
  void rotationReplacesTheSecretAtOnce() {
    AppCredentials created = apps.create("news");
    String appId = created.app().appId();

    AppCredentials rotated = apps.rotateSecret(appId).orElseThrow();

    assertThat(rotated.app()).isEqualTo(created.app());
    assertThat(rotated.secret()).isNotEqualTo(created.secret());
    assertThat(apps.verifySecret(appId, rotated.secret())).isTrue();
    assertThat(apps.verifySecret(appId, created.secret())).isFalse();
    assertThat(apps.rotateSecret("ffffffffffffffff")).isEmpty();
  }

  @Test
  void listRenameAndDelete() {
    App first = apps.create("one").app();
    App second = apps.create("two").app();

    assertThat(apps.list()).containsExactlyInAnyOrder(first, second);
    assertThat(apps.rename(first.appId(), "uno")).contains(new App(first.appId(), "uno", first.createdAtMs()));
    assertThat(apps.rename("ffffffffffffffff", "none")).isEmpty();

    assertThat(apps.delete(first.appId())).isTrue();
    assertThat(apps.delete(first.appId())).isFalse();
    assertThat(apps.find(first.appId())).isEmpty();
    assertThat(apps.list()).containsExactly(second);
    assertThat(apps.rename(first.appId(), "ghost")).isEmpty();
    assertThat(apps.find(first.appId())).isEmpty();
  }

  @Test
  void openRegistrationIsOnUntilSwitchedOffAndStaysOffAcrossReads() {
    App app = apps.create("open").app();
    assertThat(app.openRegistration()).isTrue();

    App closed = apps.setOpenRegistration(app.appId(), false).orElseThrow();

    assertThat(closed.openRegistration()).isFalse();
    assertThat(apps.find(app.appId())).contains(closed);
    assertThat(apps.rename(app.appId(), "renamed").orElseThrow().openRegistration()).isFalse();
    assertThat(apps.setOpenRegistration(app.appId(), true).orElseThrow().openRegistration()).isTrue();
    assertThat(apps.setOpenRegistration("ffffffffffffffff", false)).isEmpty();
    assertThat(apps.find("ffffffffffffffff")).isEmpty();
  }

  @Test
  void anAppStoredBeforeTheSwitchExistedHasOpenRegistration() {
    String appId = "00000000000000aa";
    redisson
        .<String, String>getMap(prefix + "app:" + appId, StringCodec.INSTANCE)
        .putAll(java.util.Map.of("name", "old", "secret", "x", "created", "1"));

    assertThat(apps.find(appId).orElseThrow().openRegistration()).isTrue();
  }
}
