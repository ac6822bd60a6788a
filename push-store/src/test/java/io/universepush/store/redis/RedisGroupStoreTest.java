package io.universepush.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.universepush.store.group.Group;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.client.codec.StringCodec;

class RedisGroupStoreTest extends RedisTestServer {
  private static final String APP = "0123456789abcdef";
  private static final String OTHER_APP = "fedcba9876543210";
  private static final long NOW = 1_800_000_000_000L;

  private String prefix;
  private RedisKeys keys;
  private RedisGroupStore groups;

  @BeforeEach
  void setUp() {
    prefix = uniquePrefix();
    keys = new RedisKeys(prefix);
    groups = new RedisGroupStore(redisson, prefix, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
  }

  @Test
  void aCreatedGroupHasItsMembersAndTheOwnerAndIsIndexedForTheAppAndEachDevice() {
    Group group = groups.create(APP, "friends", "r-owner", List.of("r1", "r2"));

    assertThat(group.groupId()).matches("[0-9a-f]{24}");
    assertThat(group).isEqualTo(new Group(group.groupId(), APP, "friends", "r-owner", NOW));
    assertThat(groups.find(APP, group.groupId())).contains(group);
    assertThat(groups.members(APP, group.groupId())).containsExactlyInAnyOrder("r-owner", "r1", "r2");
    assertThat(groups.memberCount(APP, group.groupId())).isEqualTo(3);
    assertThat(groups.groupsOf(APP, "r1")).containsExactly(group.groupId());
    assertThat(groups.groupsOf(APP, "r-owner")).containsExactly(group.groupId());
    assertThat(groups.groupCount(APP)).isEqualTo(1);
    assertThat(groups.groupIdsOf(APP, 10)).containsExactly(group.groupId());
  }

  @Test
  void keysShareAHashTagPerGroupAndPerApp() {
    Group group = groups.create(APP, "g", "", List.of("r1"));
    String id = group.groupId();
    assertThat(redisson.getKeys().countExists(prefix + "group:{" + id + "}", prefix + "group:{" + id + "}:members"))
        .isEqualTo(2);
    assertThat(redisson.getSet(prefix + "appgroups:{" + APP + "}", StringCodec.INSTANCE).contains(id)).isTrue();
    assertThat(redisson.getSet(prefix + "devgroups:{" + APP + "}:r1", StringCodec.INSTANCE).contains(id)).isTrue();
  }

  @Test
  void aGroupOfAnotherAppDoesNotExistForTheCaller() {
    Group group = groups.create(APP, "g", "", List.of("r1"));
    String id = group.groupId();

    assertThat(groups.find(OTHER_APP, id)).isEmpty();
    assertThat(groups.members(OTHER_APP, id)).isEmpty();
    assertThat(groups.memberCount(OTHER_APP, id)).isZero();
    assertThat(groups.isMember(OTHER_APP, id, "r1")).isFalse();
    assertThat(groups.addMembers(OTHER_APP, id, List.of("x"))).isEmpty();
    assertThat(groups.removeMember(OTHER_APP, id, "r1")).isFalse();
    assertThat(groups.dismiss(OTHER_APP, id)).isFalse();
    assertThat(groups.members(APP, id)).containsExactly("r1");
  }

  @Test
  void addingReturnsOnlyTheNewMembersAndRemovingReportsWhetherItWasOne() {
    String id = groups.create(APP, "g", "", List.of("r1")).groupId();

    assertThat(groups.addMembers(APP, id, List.of("r1", "r2", "r3", "r2"))).containsExactly("r2", "r3");
    assertThat(groups.isMember(APP, id, "r3")).isTrue();
    assertThat(groups.membersAmong(APP, id, List.of("r1", "x", "r3"))).containsExactlyInAnyOrder("r1", "r3");

    assertThat(groups.removeMember(APP, id, "r3")).isTrue();
    assertThat(groups.removeMember(APP, id, "r3")).isFalse();
    assertThat(groups.groupsOf(APP, "r3")).isEmpty();
    assertThat(groups.addMembers(APP, "nosuchgroup", List.of("r1"))).isEmpty();
  }

  @Test
  void dismissRemovesTheGroupAndEveryMembership() {
    String id = groups.create(APP, "g", "", List.of("r1", "r2")).groupId();
    String kept = groups.create(APP, "kept", "", List.of("r1")).groupId();

    assertThat(groups.dismiss(APP, id)).isTrue();
    assertThat(groups.dismiss(APP, id)).isFalse();

    assertThat(groups.find(APP, id)).isEmpty();
    assertThat(groups.groupsOf(APP, "r1")).containsExactly(kept);
    assertThat(groups.groupsOf(APP, "r2")).isEmpty();
    assertThat(groups.groupCount(APP)).isEqualTo(1);
    assertThat(redisson.getKeys().countExists(keys.group(id), keys.groupMembers(id))).isZero();
  }

  @Test
  void aCrashBetweenTheIndexAndTheMemberSetLeavesNothingAMemberCanNotice() {
    String id = groups.create(APP, "g", "", List.of("r1")).groupId();
    // A join that wrote the device index but crashed before the member set (index first, truth second):
    redisson.getSet(keys.deviceGroups(APP, "r2"), StringCodec.INSTANCE).add(id);
    // A leave that removed the member but crashed before the index (truth first, index second):
    redisson.getSet(keys.groupMembers(id), StringCodec.INSTANCE).remove("r1");
    // A dismiss that removed the group but crashed before the app index:
    redisson.getSet(keys.appGroups(APP), StringCodec.INSTANCE).add("gone");

    assertThat(groups.groupsOf(APP, "r2")).isEmpty();
    assertThat(groups.groupsOf(APP, "r1")).isEmpty();
    assertThat(groups.groupIdsOf(APP, 10)).containsExactly(id);
    // ...and the stale entries were cleaned on the way.
    assertThat(redisson.getSet(keys.deviceGroups(APP, "r2"), StringCodec.INSTANCE).isExists()).isFalse();
    assertThat(redisson.getSet(keys.appGroups(APP), StringCodec.INSTANCE).contains("gone")).isFalse();
  }

  @Test
  void chosenIdsAreTakenOnce() {
    assertThat(groups.createWithId("legacy", "legacy.room", "room", "", List.of("r1"))).isPresent();
    assertThat(groups.createWithId(OTHER_APP, "legacy.room", "room", "", List.of())).isEmpty();
    assertThat(groups.members("legacy", "legacy.room")).containsExactly("r1");
  }

  @Test
  void largeGroupsAreWrittenWhole() {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      many.add("r" + i);
    }
    String id = groups.create(APP, "big", "", many).groupId();
    assertThat(groups.memberCount(APP, id)).isEqualTo(10_000);
    assertThat(groups.addMembers(APP, id, Set.of("r5", "new"))).containsExactly("new");
    assertThat(groups.dismiss(APP, id)).isTrue();
    assertThat(groups.groupsOf(APP, "r9999")).isEmpty();
  }
}
