package io.universepush.store.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MessageIdsTest {
  @Test
  void idsSortInCreationOrder() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      ids.add(MessageIds.next());
    }

    assertThat(ids).isSorted().doesNotHaveDuplicates();
    assertThat(ids).allMatch(id -> id.matches("[0-9a-f]{32}"));
  }

  @Test
  void idsAreUniqueAcrossThreads() {
    Set<String> ids = ConcurrentHashMap.newKeySet();
    IntStream.range(0, 200_000).parallel().forEach(i -> ids.add(MessageIds.next()));

    assertThat(ids).hasSize(200_000);
  }

  @Test
  void timePartIsTheCreationMillis() {
    long before = System.currentTimeMillis();
    String id = MessageIds.next();
    long after = System.currentTimeMillis();

    assertThat(Long.parseLong(id.substring(0, 12), 16)).isBetween(before, after + 1);
  }
}
