package dev.spindle.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.store.ClaimRequest;
import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.store.Outcome;
import dev.spindle.core.task.TaskState;
import dev.spindle.testkit.ManualClock;
import dev.spindle.testkit.store.NewTasks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite purge finds finished tasks through one list of ids per commit (migration 005), not an
 * index: what the store contract asks of every purge must also hold across and within lists.
 */
class SqlitePurgeTest {
  @TempDir Path dir;
  final ManualClock clock = ManualClock.startingAt2026();
  SqliteTaskStore store;

  @BeforeEach
  void open() {
    store = SqliteTaskStore.open(dir.resolve("spindle.db"));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void tasksFinishedInOneCommitArePurgedAcrossCallsUpToEachLimit() {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(enqueue());
    }
    store.cancel(ids, clock.instant()); // one commit, one list of five
    clock.advance(Duration.ofHours(1));

    assertThat(store.purgeFinished(clock.instant(), 3)).isEqualTo(3);
    assertThat(store.get(ids)).hasSize(2);
    assertThat(store.purgeFinished(clock.instant(), 3)).isEqualTo(2);
    assertThat(store.purgeFinished(clock.instant(), 3)).isZero();
    assertThat(store.get(ids)).isEmpty();
  }

  @Test
  void taskRetriedAfterItFinishedIsKeptUntilItsNewFinishIsOldEnough() {
    long id = enqueue();
    store.cancel(List.of(id), clock.instant());
    clock.advance(Duration.ofMinutes(1));
    store.retry(List.of(id), clock.instant());
    clock.advance(Duration.ofHours(1));
    ClaimedTask claimed =
        store
            .claim(new ClaimRequest("q", "w", 1, clock.instant(), clock.instant().plusSeconds(30)))
            .getFirst();
    store.complete(List.of(new Outcome.Succeeded(id, claimed.leaseToken(), "{}", clock.instant())));

    assertThat(store.purgeFinished(clock.instant().minus(Duration.ofMinutes(30)), 10))
        .as("its first finish is old enough, its latest is not")
        .isZero();
    assertThat(store.get(id).orElseThrow().state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(store.purgeFinished(clock.instant().plusSeconds(1), 10)).isEqualTo(1);
    assertThat(store.get(id)).isEmpty();
  }

  @Test
  void expiredTasksArePurgedLikeFinishedOnes() {
    long id = store.enqueue(List.of(task().deadline(clock.instant()).build())).getFirst().id();
    clock.advance(Duration.ofSeconds(1));
    assertThat(store.expireOverdue(clock.instant(), 10)).isEqualTo(1);

    assertThat(store.purgeFinished(clock.instant(), 10)).isZero();
    assertThat(store.purgeFinished(clock.instant().plusSeconds(1), 10)).isEqualTo(1);
    assertThat(store.get(id)).isEmpty();
  }

  private long enqueue() {
    return store.enqueue(List.of(task().build())).getFirst().id();
  }

  private NewTasks.Builder task() {
    return NewTasks.task("q", clock.instant());
  }
}
