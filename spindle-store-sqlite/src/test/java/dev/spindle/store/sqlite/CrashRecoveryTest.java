package dev.spindle.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.Spindle;
import dev.spindle.core.TaskRequest;
import dev.spindle.core.store.StoreLockedException;
import dev.spindle.core.task.PageRequest;
import dev.spindle.core.task.TaskFilter;
import dev.spindle.core.task.TaskInfo;
import dev.spindle.core.task.TaskState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real worker JVM is killed with SIGKILL in the middle of a run and a new one is started on the
 * same file: every task must end SUCCEEDED, and a task may have run twice only if the kill came
 * before its first run's outcome was committed.
 */
class CrashRecoveryTest {
  private static final int TASKS = 1500;

  @TempDir Path dir;

  @Test
  void sigkilledWorkerLosesNoTaskAndRerunsOnlyUncommittedOnes() throws Exception {
    Path db = dir.resolve("crash.db");
    Path log = dir.resolve("events.log");
    try (Spindle producer = Spindle.builder().store(SqliteTaskStore.open(db)).build()) {
      List<TaskRequest> batch = new ArrayList<>();
      for (int i = 0; i < TASKS; i++) {
        batch.add(TaskRequest.of("work", i));
      }
      producer.submitAll(batch);
    }

    Process first = startWorker(db, "first", log);
    awaitCommitted(log, TASKS / 4, first);
    // While the worker runs, this process may not open the same file.
    assertThatThrownBy(() -> SqliteTaskStore.open(db))
        .isInstanceOf(StoreLockedException.class)
        .hasMessageContaining("already open in another Spindle process")
        .hasMessageContaining("process id " + first.pid());
    first.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no graceful close
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(first.exitValue()).as("killed by signal 9").isEqualTo(137);

    Process second = startWorker(db, "second", log);
    assertThat(second.waitFor(120, TimeUnit.SECONDS)).as("second worker finishes").isTrue();
    assertThat(second.exitValue()).isZero();

    Map<Long, List<String>> events = eventsByTask(log);
    List<TaskInfo> all;
    try (SqliteTaskStore store = SqliteTaskStore.open(db)) {
      all = listAll(store);
    }
    assertThat(all).hasSize(TASKS);
    int reruns = 0;
    for (TaskInfo t : all) {
      assertThat(t.state()).as("task %d", t.id()).isEqualTo(TaskState.SUCCEEDED);
      // The stored result names the worker whose run committed; the log says who started it.
      String committedBy = t.resultJson().orElseThrow().replaceAll("^\"|:.*$", "");
      List<String> ev = events.getOrDefault(t.id(), List.of());
      long firstStarts = ev.stream().filter(l -> l.startsWith("start first ")).count();
      long secondStarts = ev.stream().filter(l -> l.startsWith("start second ")).count();
      assertThat(firstStarts + secondStarts).as("task %d ran: %s", t.id(), ev).isPositive();
      if (committedBy.equals("first")) {
        assertThat(secondStarts)
            .as("task %d done by first, yet ran again: %s", t.id(), ev)
            .isZero();
        assertThat(firstStarts).as("task %d: %s", t.id(), ev).isEqualTo(1);
      } else {
        assertThat(committedBy).isEqualTo("second");
        assertThat(secondStarts).as("task %d: %s", t.id(), ev).isEqualTo(1);
        assertThat(ev)
            .as("task %d committed by second: %s", t.id(), ev)
            .noneMatch(l -> l.startsWith("committed first "));
        if (firstStarts > 0) {
          reruns++; // the kill cut its first run short, before the outcome was committed
        }
      }
    }
    System.out.printf("crash test: %d tasks, %d re-run after the kill%n", TASKS, reruns);
  }

  private static List<TaskInfo> listAll(SqliteTaskStore store) {
    List<TaskInfo> all = new ArrayList<>();
    Optional<Long> cursor = Optional.empty();
    do {
      var page = store.list(TaskFilter.all(Instant.now()), new PageRequest(1000, cursor));
      all.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor.isPresent());
    return all;
  }

  private static Process startWorker(Path db, String name, Path log) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            CrashWorker.class.getName(),
            db.toString(),
            name,
            log.toString())
        .redirectErrorStream(true)
        .redirectOutput(db.resolveSibling(name + ".out").toFile())
        .start();
  }

  private static void awaitCommitted(Path log, int n, Process worker) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < end) {
      if (Files.exists(log)
          && Files.readAllLines(log).stream().filter(l -> l.startsWith("committed")).count() >= n) {
        return;
      }
      if (!worker.isAlive()) {
        throw new AssertionError("worker exited early with " + worker.exitValue());
      }
      Thread.sleep(20); // polling another process's log file; no time logic depends on it
    }
    throw new AssertionError("worker did not commit " + n + " tasks in 60 s");
  }

  private static Map<Long, List<String>> eventsByTask(Path log) throws IOException {
    Map<Long, List<String>> byTask = new HashMap<>();
    for (String line : Files.readAllLines(log)) {
      String[] f = line.split(" ");
      byTask.computeIfAbsent(Long.parseLong(f[2]), k -> new ArrayList<>()).add(line);
    }
    return byTask;
  }
}
