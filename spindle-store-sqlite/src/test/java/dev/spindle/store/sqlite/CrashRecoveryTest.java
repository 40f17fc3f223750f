package dev.spindle.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Spindle;
import dev.spindle.core.TaskRequest;
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
    first.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no graceful close
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(first.exitValue()).as("killed by signal 9").isEqualTo(137);

    Process second = startWorker(db, "second", log);
    assertThat(second.waitFor(120, TimeUnit.SECONDS)).as("second worker finishes").isTrue();
    assertThat(second.exitValue()).isZero();

    Map<Long, List<String>> events = eventsByTask(log);
    try (SqliteTaskStore store = SqliteTaskStore.open(db)) {
      List<TaskInfo> all = listAll(store);
      assertThat(all).hasSize(TASKS);
      assertThat(all).allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.SUCCEEDED));
    }
    int reruns = 0;
    for (var e : events.entrySet()) {
      List<String> ev = e.getValue();
      long starts = ev.stream().filter(s -> s.startsWith("start")).count();
      long commits = ev.stream().filter(s -> s.startsWith("committed")).count();
      assertThat(commits).as("task %d committed once: %s", e.getKey(), ev).isEqualTo(1);
      if (starts > 1) {
        reruns++;
        // The only committed run is the last one: every earlier run was cut short by the kill.
        assertThat(ev.get(ev.size() - 1))
            .as("task %d: %s", e.getKey(), ev)
            .startsWith("committed second");
        assertThat(ev.stream().filter(s -> s.startsWith("start first")).count())
            .isEqualTo(starts - 1);
      }
    }
    assertThat(events).hasSize(TASKS);
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
