package io.universepush.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DedupStoreTest {
  @TempDir Path dir;

  @Test
  void memoryStoreSaysFirstSeenOncePerId() {
    MemoryDedupStore store = new MemoryDedupStore();
    assertThat(store.capacity()).isEqualTo(10_000);
    assertThat(store.firstSeen("a")).isTrue();
    assertThat(store.firstSeen("a")).isFalse();
    assertThat(store.firstSeen("b")).isTrue();
  }

  @Test
  void memoryStoreIsBoundedAndForgetsTheLeastRecentlySeen() {
    MemoryDedupStore store = new MemoryDedupStore(3);
    store.firstSeen("a");
    store.firstSeen("b");
    store.firstSeen("c");
    assertThat(store.firstSeen("a")).isFalse(); // "a" is now the most recently seen; "b" the least

    store.firstSeen("d");

    assertThat(store.size()).isEqualTo(3);
    assertThat(store.firstSeen("a")).isFalse();
    assertThat(store.firstSeen("b")).isTrue();
  }

  @Test
  void memoryStoreHoldsAtMostItsCapacityUnderManyIds() {
    MemoryDedupStore store = new MemoryDedupStore(100);
    for (int i = 0; i < 10_000; i++) {
      assertThat(store.firstSeen("id-" + i)).isTrue();
    }
    assertThat(store.size()).isEqualTo(100);
    assertThat(store.firstSeen("id-9999")).isFalse();
    assertThat(store.firstSeen("id-0")).isTrue();
  }

  @Test
  void fileStoreRemembersIdsAcrossReopen() throws Exception {
    File file = dir.resolve("sub/dedup.txt").toFile();
    FileDedupStore store = new FileDedupStore(file, 100);
    assertThat(store.firstSeen("m-1")).isTrue();
    assertThat(store.firstSeen("m-2")).isTrue();
    assertThat(store.firstSeen("with\nnewline\\and backslash")).isTrue();
    assertThat(store.firstSeen("m-1")).isFalse();

    FileDedupStore reopened = new FileDedupStore(file, 100);

    assertThat(reopened.size()).isEqualTo(3);
    assertThat(reopened.firstSeen("m-1")).isFalse();
    assertThat(reopened.firstSeen("m-2")).isFalse();
    assertThat(reopened.firstSeen("with\nnewline\\and backslash")).isFalse();
    assertThat(reopened.firstSeen("m-3")).isTrue();
  }

  @Test
  void fileStoreCompactsSoTheFileStaysBounded() throws Exception {
    File file = dir.resolve("dedup.txt").toFile();
    FileDedupStore store = new FileDedupStore(file, 5);
    for (int i = 0; i < 100; i++) {
      store.firstSeen("id-" + i);
      assertThat(Files.readAllLines(file.toPath())).hasSizeLessThan(10);
    }

    FileDedupStore reopened = new FileDedupStore(file, 5);

    assertThat(reopened.size()).isEqualTo(5);
    assertThat(reopened.firstSeen("id-99")).isFalse();
    assertThat(reopened.firstSeen("id-95")).isFalse();
    assertThat(reopened.firstSeen("id-94")).isTrue();
  }

  @Test
  void fileStoreRecoversFromALastLineCutShortByACrash() throws Exception {
    File file = dir.resolve("dedup.txt").toFile();
    try (OutputStream out = new FileOutputStream(file)) {
      out.write("m-1\nm-2\nhalf-writ".getBytes(StandardCharsets.UTF_8));
    }

    FileDedupStore store = new FileDedupStore(file, 100);
    store.firstSeen("m-3");

    assertThat(Files.readAllLines(file.toPath())).contains("m-1", "m-2", "m-3");
    assertThat(new FileDedupStore(file, 100).firstSeen("m-3")).isFalse();
  }

  @Test
  void theSameMessageIdForTwoBindingsIsTwoMessages() {
    MemoryDedupStore store = new MemoryDedupStore();
    assertThat(store.firstSeen("app-a", "reg-1", "m-1")).isTrue();
    assertThat(store.firstSeen("app-b", "reg-1", "m-1")).isTrue();
    assertThat(store.firstSeen("app-a", "reg-2", "m-1")).isTrue();
    assertThat(store.firstSeen("app-a", "reg-1", "m-1")).isFalse();
    // Joining with a separator no id contains keeps "a"+"b-c" apart from "a-b"+"c".
    assertThat(DedupStore.key("a", "b-c", "m")).isNotEqualTo(DedupStore.key("a-b", "c", "m"));
  }

  @Test
  void fileStoreKeepsBindingsApartAcrossReopen() throws Exception {
    File file = dir.resolve("dedup.txt").toFile();
    FileDedupStore store = new FileDedupStore(file, 100);
    store.firstSeen("app-a", "reg-1", "m-1");

    FileDedupStore reopened = new FileDedupStore(file, 100);

    assertThat(reopened.firstSeen("app-a", "reg-1", "m-1")).isFalse();
    assertThat(reopened.firstSeen("app-b", "reg-1", "m-1")).isTrue();
    assertThat(Files.readAllLines(file.toPath())).hasSize(2);
  }
}
