package dev.spindle.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.store.TaskStore;
import dev.spindle.core.task.NewTask;
import dev.spindle.core.task.TaskState;
import dev.spindle.testkit.ManualClock;
import dev.spindle.testkit.store.NewTasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints run off the writer thread, yet the WAL starts over after a burst. The background
 * round is set to an hour, so the test drives every checkpoint itself.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WalCheckpointerTest {
  @TempDir Path dir;
  final ManualClock clock = ManualClock.startingAt2026();
  SqliteTaskStore store;

  @BeforeEach
  void open() {
    store =
        SqliteTaskStore.open(
            dir.resolve("spindle.db"),
            SqliteStoreOptions.builder().checkpointInterval(Duration.ofHours(1)).build());
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void theWriterNeverCheckpointsByItself() {
    long autocheckpoint =
        store
            .writer()
            .execute(
                "read wal_autocheckpoint",
                session -> {
                  try (ResultSet rs = session.control("PRAGMA wal_autocheckpoint").executeQuery()) {
                    return rs.getLong(1);
                  }
                });
    assertThat(autocheckpoint).isZero();

    burst();
    WalCheckpointer.Result before = store.checkpointer().checkpoint();
    assertThat(before.walPages())
        .as("a burst past SQLite's 1000-page default stays in the WAL until checkpointed")
        .isGreaterThan(1_000);
    assertThat(before.copiedPages()).isEqualTo(before.walPages());
  }

  @Test
  void walStartsOverAfterABurstOnceCheckpointed() {
    burst();
    WalCheckpointer.Result first = store.checkpointer().checkpoint();
    assertThat(first.walPages()).isGreaterThanOrEqualTo(WalCheckpointer.RESTART_PAGES);

    // The first write after the checkpoint lets the writer finish it; the next starts the WAL over.
    store.enqueue(List.of(task()));
    store.enqueue(List.of(task()));

    WalCheckpointer.Result after = store.checkpointer().checkpoint();
    assertThat(after.busy()).isFalse();
    assertThat(after.walPages()).as("pages of the two small writes only").isLessThan(100);
    assertThat(after.copiedPages()).isEqualTo(after.walPages());
  }

  @Test
  void closeCopiesTheWalBackAndRemovesIt() throws Exception {
    burst();
    Path wal = Path.of(store.file() + "-wal");
    assertThat(wal).exists();

    store.close();

    assertThat(Files.exists(wal)).isFalse();
    try (SqliteTaskStore again = SqliteTaskStore.open(store.file())) {
      assertThat(again.stats(clock.instant()).getFirst().count(TaskState.READY))
          .isEqualTo(BURST_TASKS);
    }
  }

  @Test
  void submittedTasksDueNowAreAnnouncedAfterTheirCommit() {
    List<String> announced = new CopyOnWriteArrayList<>();
    TaskStore.Subscription subscription = store.onTasksAvailable(announced::add);

    store.enqueue(
        List.of(
            NewTasks.task("later", clock.instant())
                .runAt(clock.instant().plusSeconds(60))
                .build()));
    store.enqueue(List.of(NewTasks.task("now", clock.instant()).build()));
    subscription.close();
    store.enqueue(List.of(NewTasks.task("after-close", clock.instant()).build()));

    assertThat(announced).containsExactly("now");
  }

  private static final int BURST_TASKS = 40_000;

  /** About 12 MB of rows: far past the 1000 pages at which SQLite would checkpoint by itself. */
  private void burst() {
    List<NewTask> batch = new ArrayList<>();
    for (int i = 0; i < BURST_TASKS; i++) {
      batch.add(task());
      if (batch.size() == 1_000) {
        store.enqueue(List.copyOf(batch));
        batch.clear();
      }
    }
  }

  private NewTask task() {
    return NewTasks.task("q", clock.instant()).payload("\"" + "x".repeat(200) + "\"").build();
  }
}
