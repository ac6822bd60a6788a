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

  /** The check-and-mark of a push the app handles: true when it was new. */
  private static boolean firstSeen(DedupStore store, String key) {
    boolean fresh = !store.seen(key);
    store.markSeen(key);
    return fresh;
  }

  private static boolean firstSeen(DedupStore store, String appId, String regId, String msgId) {
    boolean fresh = !store.seen(appId, regId, msgId);
    store.markSeen(appId, regId, msgId);
    return fresh;
  }

  @Test
  void askingDoesNotMarkAndMarkingTwiceKeepsOneLine() throws Exception {
    MemoryDedupStore memory = new MemoryDedupStore();
    assertThat(memory.seen("app-a", "reg-1", "m-1")).isFalse();
    assertThat(memory.seen("app-a", "reg-1", "m-1")).isFalse();
    assertThat(memory.size()).isZero();

    File file = dir.resolve("dedup.txt").toFile();
    FileDedupStore store = new FileDedupStore(file, 100);
    assertThat(store.seen("m-1")).isFalse();
    assertThat(file.exists() ? Files.readAllLines(file.toPath()) : java.util.Collections.emptyList()).isEmpty();
    store.markSeen("m-1");
    // Written when markSeen returns: a store opened now (a restarted app) knows it.
    assertThat(new FileDedupStore(file, 100).seen("m-1")).isTrue();
    store.markSeen("m-1");
    assertThat(Files.readAllLines(file.toPath())).containsExactly("m-1");
  }

  @Test
  void memoryStoreSaysFirstSeenOncePerId() {
    MemoryDedupStore store = new MemoryDedupStore();
    assertThat(store.capacity()).isEqualTo(10_000);
    assertThat(firstSeen(store, "a")).isTrue();
    assertThat(firstSeen(store, "a")).isFalse();
    assertThat(firstSeen(store, "b")).isTrue();
  }

  @Test
  void memoryStoreIsBoundedAndForgetsTheLeastRecentlySeen() {
    MemoryDedupStore store = new MemoryDedupStore(3);
    firstSeen(store, "a");
    firstSeen(store, "b");
    firstSeen(store, "c");
    assertThat(firstSeen(store, "a")).isFalse(); // "a" is now the most recently seen; "b" the least

    firstSeen(store, "d");

    assertThat(store.size()).isEqualTo(3);
    assertThat(firstSeen(store, "a")).isFalse();
    assertThat(firstSeen(store, "b")).isTrue();
  }

  @Test
  void memoryStoreHoldsAtMostItsCapacityUnderManyIds() {
    MemoryDedupStore store = new MemoryDedupStore(100);
    for (int i = 0; i < 10_000; i++) {
      assertThat(firstSeen(store, "id-" + i)).isTrue();
    }
    assertThat(store.size()).isEqualTo(100);
    assertThat(firstSeen(store, "id-9999")).isFalse();
    assertThat(firstSeen(store, "id-0")).isTrue();
  }

  @Test
  void fileStoreRemembersIdsAcrossReopen() throws Exception {
    File file = dir.resolve("sub/dedup.txt").toFile();
    FileDedupStore store = new FileDedupStore(file, 100);
    assertThat(firstSeen(store, "m-1")).isTrue();
    assertThat(firstSeen(store, "m-2")).isTrue();
    assertThat(firstSeen(store, "with\nnewline\\and backslash")).isTrue();
    assertThat(firstSeen(store, "m-1")).isFalse();

    FileDedupStore reopened = new FileDedupStore(file, 100);

    assertThat(reopened.size()).isEqualTo(3);
    assertThat(firstSeen(reopened, "m-1")).isFalse();
    assertThat(firstSeen(reopened, "m-2")).isFalse();
    assertThat(firstSeen(reopened, "with\nnewline\\and backslash")).isFalse();
    assertThat(firstSeen(reopened, "m-3")).isTrue();
  }

  @Test
  void fileStoreCompactsSoTheFileStaysBounded() throws Exception {
    File file = dir.resolve("dedup.txt").toFile();
    FileDedupStore store = new FileDedupStore(file, 5);
    for (int i = 0; i < 100; i++) {
      firstSeen(store, "id-" + i);
      assertThat(Files.readAllLines(file.toPath())).hasSizeLessThan(10);
    }

    FileDedupStore reopened = new FileDedupStore(file, 5);

    assertThat(reopened.size()).isEqualTo(5);
    assertThat(firstSeen(reopened, "id-99")).isFalse();
    assertThat(firstSeen(reopened, "id-95")).isFalse();
    assertThat(firstSeen(reopened, "id-94")).isTrue();
  }

  @Test
  void fileStoreRecoversFromALastLineCutShortByACrash() throws Exception {
    File file = dir.resolve("dedup.txt").toFile();
    try (OutputStream out = new FileOutputStream(file)) {
      out.write("m-1\nm-2\nhalf-writ".getBytes(StandardCharsets.UTF_8));
    }

    FileDedupStore store = new FileDedupStore(file, 100);
    firstSeen(store, "m-3");

    assertThat(Files.readAllLines(file.toPath())).contains("m-1", "m-2", "m-3");
    assertThat(firstSeen(new FileDedupStore(file, 100), "m-3")).isFalse();
  }

  @Test
  void theSameMessageIdForTwoBindingsIsTwoMessages() {
    MemoryDedupStore store = new MemoryDedupStore();
    assertThat(firstSeen(store, "app-a", "reg-1", "m-1")).isTrue();
    assertThat(firstSeen(store, "app-b", "reg-1", "m-1")).isTrue();
    assertThat(firstSeen(store, "app-a", "reg-2", "m-1")).isTrue();
    assertThat(firstSeen(store, "app-a", "reg-1", "m-1")).isFalse();
    // Joining with a separator no id contains keeps "a"+"b-c" apart from "a-b"+"c".
    assertThat(DedupStore.key("a", "b-c", "m")).isNotEqualTo(DedupStore.key("a-b", "c", "m"));
  }

  @Test
  void fileStoreKeepsBindingsApartAcrossReopen() throws Exception {
    File file = dir.resolve("dedup.txt").toFile();
    FileDedupStore store = new FileDedupStore(file, 100);
    firstSeen(store, "app-a", "reg-1", "m-1");

    FileDedupStore reopened = new FileDedupStore(file, 100);

    assertThat(firstSeen(reopened, "app-a", "reg-1", "m-1")).isFalse();
    assertThat(firstSeen(reopened, "app-b", "reg-1", "m-1")).isTrue();
    assertThat(Files.readAllLines(file.toPath())).hasSize(2);
  }
}
