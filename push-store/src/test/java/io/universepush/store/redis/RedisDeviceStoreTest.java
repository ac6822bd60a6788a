package io.universepush.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.universepush.store.device.Device;
import io.universepush.store.device.DeviceRegistration;
import io.universepush.store.device.DeviceStore;
import io.universepush.store.fanout.FanoutPosition;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RedisDeviceStoreTest extends RedisTestServer {
  private static final String APP = "0123456789abcdef";
  private static final String OTHER_APP = "fedcba9876543210";

  private RedisDeviceStore devices;

  @BeforeEach
  void setUp() {
    devices = new RedisDeviceStore(redisson, uniquePrefix());
  }

  @Test
  void registeredDeviceIsFoundAndItsTokenVerifies() {
    DeviceRegistration registration = devices.register(APP, "android", "alice", Set.of("news", "sport"));
    Device device = registration.device();

    assertThat(device.regId()).matches("[A-Za-z0-9_-]{22,}");
    assertThat(registration.token()).matches("[A-Za-z0-9_-]{22,}");
    assertThat(devices.find(APP, device.regId())).contains(device);
    assertThat(device.tags()).containsExactlyInAnyOrder("news", "sport");
    assertThat(devices.verifyToken(APP, device.regId(), registration.token())).isTrue();
    assertThat(devices.verifyToken(APP, device.regId(), "wrong")).isFalse();
    assertThat(devices.regIdsByAlias(APP, "alice")).containsExactly(device.regId());
    assertThat(devices.regIdsByTag(APP, "news")).containsExactly(device.regId());
    assertThat(devices.regIdsOfApp(APP)).containsExactly(device.regId());
  }

  @Test
  void aKeptFanoutPositionComesBackAndADeletedDeviceKeepsNone() {
    String regId = devices.register(APP, "android", null, Set.of()).device().regId();
    assertThat(devices.fanoutPosition(APP, regId)).isEmpty();

    devices.saveFanoutPosition(APP, regId, new FanoutPosition(42, "e1"));
    assertThat(devices.fanoutPosition(APP, regId)).contains(new FanoutPosition(42, "e1"));
    assertThat(devices.find(APP, regId)).isPresent();

    devices.delete(APP, regId);
    devices.saveFanoutPosition(APP, regId, new FanoutPosition(43, "e1"));
    assertThat(devices.find(APP, regId)).isEmpty();
    assertThat(devices.fanoutPosition(APP, regId)).isEmpty();
  }

  @Test
  void batchedLegacySubscriptionsAnswerAsOneByOneDoAndKeepTheirTokens() {
    DeviceRegistration earlier = devices.subscribeLegacy(APP, "uid-a");

    List<DeviceRegistration> batch = devices.subscribeLegacyAll(APP, List.of("uid-a", "uid-b", "", "uid-b"));

    assertThat(batch.get(0).device().regId()).isEqualTo(earlier.device().regId());
    assertThat(batch.get(0).token()).isEqualTo(earlier.token());
    assertThat(batch.get(1).device().regId()).isNotEqualTo(earlier.device().regId());
    assertThat(batch.get(2).device().regId()).isNotIn(earlier.device().regId(), batch.get(1).device().regId());
    for (DeviceRegistration registration : batch.subList(0, 3)) {
      assertThat(devices.resolveLegacyToken(registration.token())).contains(registration.device().regId());
    }
    assertThat(devices.subscribeLegacy(APP, "uid-b").device().regId()).isEqualTo(batch.get(1).device().regId());
  }

  @Test
  void batchedTokenChecksAnswerPerDevice() {
    DeviceRegistration a = devices.register(APP, "android", null, Set.of());
    DeviceRegistration b = devices.register(APP, "ios", null, Set.of());

    List<DeviceStore.TokenCheck> checks =
        devices.checkTokens(
            APP,
            List.of(
                new DeviceStore.Credentials(a.device().regId(), a.token()),
                new DeviceStore.Credentials(b.device().regId(), "wrong"),
                new DeviceStore.Credentials("nobody", "x")));

    assertThat(checks).extracting(DeviceStore.TokenCheck::tokenMatches).containsExactly(true, false, false);
    assertThat(checks.get(1).device()).contains(b.device());
    assertThat(checks.get(2).device()).isEmpty();
  }

  @Test
  void regIdsAreUniqueAndDevicesAreScopedToTheirApp() {
    DeviceRegistration a = devices.register(APP, "ios", null, Set.of());
    DeviceRegistration b = devices.register(APP, "ios", null, Set.of());

    assertThat(a.device().regId()).isNotEqualTo(b.device().regId());
    assertThat(a.token()).isNotEqualTo(b.token());
    assertThat(devices.find(OTHER_APP, a.device().regId())).isEmpty();
    assertThat(devices.verifyToken(OTHER_APP, a.device().regId(), a.token())).isFalse();
    assertThat(devices.update(OTHER_APP, a.device().regId(), "x", Set.of())).isEmpty();
    assertThat(devices.delete(OTHER_APP, a.device().regId())).isFalse();
    assertThat(devices.existing(OTHER_APP, List.of(a.device().regId()))).isEmpty();
    assertThat(devices.existing(APP, List.of(b.device().regId(), "missing", a.device().regId())))
        .containsExactly(b.device().regId(), a.device().regId());
    assertThat(a.device().alias()).isNull();
  }

  @Test
  void updateMovesTheDeviceBetweenAliasAndTagIndexes() {
    String regId = devices.register(APP, "android", "alice", Set.of("news", "sport")).device().regId();

    Device updated = devices.update(APP, regId, "bob", Set.of("sport", "music")).orElseThrow();

    assertThat(updated.alias()).isEqualTo("bob");
    assertThat(updated.tags()).containsExactlyInAnyOrder("sport", "music");
    assertThat(devices.find(APP, regId)).contains(updated);
    assertThat(devices.regIdsByAlias(APP, "alice")).isEmpty();
    assertThat(devices.regIdsByAlias(APP, "bob")).containsExactly(regId);
    assertThat(devices.regIdsByTag(APP, "news")).isEmpty();
    assertThat(devices.regIdsByTag(APP, "sport")).containsExactly(regId);
    assertThat(devices.regIdsByTag(APP, "music")).containsExactly(regId);

    Device cleared = devices.update(APP, regId, null, null).orElseThrow();
    assertThat(cleared.alias()).isNull();
    assertThat(cleared.tags()).isEmpty();
    assertThat(devices.regIdsByAlias(APP, "bob")).isEmpty();
    assertThat(devices.regIdsByTag(APP, "music")).isEmpty();
  }

  @Test
  void updateSetsThePlatformOnlyWhenOneIsGiven() {
    String regId = devices.register(APP, "android", "alice", Set.of("news")).device().regId();

    assertThat(devices.update(APP, regId, "ios", "alice", Set.of("news")).orElseThrow().platform()).isEqualTo("ios");
    assertThat(devices.update(APP, regId, null, "bob", Set.of()).orElseThrow().platform()).isEqualTo("ios");
    assertThat(devices.update(APP, regId, "", "bob", Set.of()).orElseThrow().platform()).isEqualTo("ios");
    assertThat(devices.find(APP, regId).orElseThrow().alias()).isEqualTo("bob");
  }

  @Test
  void aliasesAndTagsGatherSeveralDevices() {
    String one = devices.register(APP, "android", "carol", Set.of("vip")).device().regId();
    String two = devices.register(APP, "ios", "carol", Set.of("vip")).device().regId();
    String elsewhere = devices.register(OTHER_APP, "ios", "carol", Set.of("vip")).device().regId();

    assertThat(devices.regIdsByAlias(APP, "carol")).containsExactlyInAnyOrder(one, two);
    assertThat(devices.regIdsByTag(APP, "vip")).containsExactlyInAnyOrder(one, two);
    assertThat(devices.regIdsByTag(OTHER_APP, "vip")).containsExactly(elsewhere);
  }

  @Test
  void deleteRemovesTheDeviceFromEveryIndex() {
    DeviceRegistration registration = devices.register(APP, "android", "dave", Set.of("news"));
    String regId = registration.device().regId();

    assertThat(devices.delete(APP, regId)).isTrue();
    assertThat(devices.delete(APP, regId)).isFalse();

    assertThat(devices.find(APP, regId)).isEmpty();
    assertThat(devices.verifyToken(APP, regId, registration.token())).isFalse();
    assertThat(devices.regIdsByAlias(APP, "dave")).isEmpty();
    assertThat(devices.regIdsByTag(APP, "news")).isEmpty();
    assertThat(devices.regIdsOfApp(APP)).isEmpty();
  }

  @Test
  void tagWithALineBreakIsRefused() {
    assertThatThrownBy(() -> devices.register(APP, "android", null, Set.of("a\nb")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void legacySubscriptionGivesTheSameUidTheSameToken() {
    DeviceRegistration first = devices.subscribeLegacy("legacy", "uid-1");
    DeviceRegistration again = devices.subscribeLegacy("legacy", "uid-1");
    DeviceRegistration other = devices.subscribeLegacy("legacy", "uid-2");

    assertThat(again.token()).isEqualTo(first.token());
    assertThat(again.device().regId()).isEqualTo(first.device().regId());
    assertThat(other.token()).isNotEqualTo(first.token());
    assertThat(devices.resolveLegacyToken(first.token())).contains(first.device().regId());
    assertThat(devices.resolveLegacyToken(other.token())).contains(other.device().regId());
    assertThat(devices.resolveLegacyToken("unknown")).isEmpty();
    assertThat(devices.verifyToken("legacy", first.device().regId(), first.token())).isTrue();
    assertThat(devices.find("legacy", first.device().regId()).orElseThrow().platform()).isEqualTo("legacy");
  }

  @Test
  void emptyLegacyUidGetsAFreshDeviceEachTime() {
    DeviceRegistration first = devices.subscribeLegacy("legacy", "");
    DeviceRegistration second = devices.subscribeLegacy("legacy", null);

    assertThat(second.device().regId()).isNotEqualTo(first.device().regId());
    assertThat(second.token()).isNotEqualTo(first.token());
    assertThat(devices.resolveLegacyToken(first.token())).contains(first.device().regId());
  }

  @Test
  void deletingALegacyDeviceFreesItsUidAndToken() {
    DeviceRegistration first = devices.subscribeLegacy("legacy", "uid-3");

    assertThat(devices.delete("legacy", first.device().regId())).isTrue();

    assertThat(devices.resolveLegacyToken(first.token())).isEmpty();
    DeviceRegistration fresh = devices.subscribeLegacy("legacy", "uid-3");
    assertThat(fresh.device().regId()).isNotEqualTo(first.device().regId());
    assertThat(fresh.token()).isNotEqualTo(first.token());
  }

  @Test
  void withAnyTagKeepsTheGivenDevicesThatCarryOneOfTheTags() {
    String news = devices.register(APP, "android", null, Set.of("news")).device().regId();
    String both = devices.register(APP, "ios", null, Set.of("news", "sport")).device().regId();
    String none = devices.register(APP, "ios", null, Set.of("music")).device().regId();
    String notAsked = devices.register(APP, "ios", null, Set.of("sport")).device().regId();
    String elsewhere = devices.register(OTHER_APP, "ios", null, Set.of("news")).device().regId();

    assertThat(devices.withAnyTag(APP, List.of("news", "sport"), List.of(news, both, none, elsewhere, "missing")))
        .containsExactlyInAnyOrder(news, both);
    assertThat(devices.withAnyTag(APP, List.of("sport"), List.of(news, both, notAsked)))
        .containsExactlyInAnyOrder(both, notAsked);
    assertThat(devices.withAnyTag(APP, List.of(), List.of(news))).isEmpty();
    assertThat(devices.withAnyTag(APP, List.of("news"), List.of())).isEmpty();
  }

  @Test
  void withAnyTagHandlesMoreRegIdsThanOneLuaCallStackHolds() {
    String tagged = devices.register(APP, "android", null, Set.of("big")).device().regId();
    List<String> many = new java.util.ArrayList<>();
    for (int i = 0; i < 12_000; i++) {
      many.add("absent" + i);
    }
    many.add(tagged);

    assertThat(devices.withAnyTag(APP, List.of("big"), many)).containsExactly(tagged);
  }

  @Test
  void findAllReturnsTheAppsDevicesInOneCall() {
    Device one = devices.register(APP, "android", "a", Set.of("x")).device();
    Device two = devices.register(APP, "web", null, Set.of()).device();
    Device elsewhere = devices.register(OTHER_APP, "ios", null, Set.of()).device();

    assertThat(devices.findAll(APP, List.of(one.regId(), two.regId(), elsewhere.regId(), "missing")))
        .containsOnlyKeys(one.regId(), two.regId())
        .containsEntry(one.regId(), one)
        .containsEntry(two.regId(), two);
    assertThat(devices.findAll(APP, List.of())).isEmpty();
  }

  @Test
  void countsSumTagSizesAndCountTheAppsDevices() {
    devices.register(APP, "android", null, Set.of("news"));
    devices.register(APP, "ios", null, Set.of("news", "sport"));
    devices.register(APP, "ios", null, Set.of());
    devices.register(OTHER_APP, "ios", null, Set.of("news"));

    assertThat(devices.countByTags(APP, List.of("news"))).isEqualTo(2);
    assertThat(devices.countByTags(APP, List.of("news", "sport", "none"))).isEqualTo(3);
    assertThat(devices.countOfApp(APP)).isEqualTo(3);
    assertThat(devices.countOfApp("nobody")).isZero();
  }
}
