package dev.spindle.bench;

import dev.spindle.store.sqlite.SqliteTaskStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code spindle bench embedded}: end-to-end runs through the Java API on the SQLite store. */
@Command(
    name = "embedded",
    mixinStandardHelpOptions = true,
    description = {
      "End-to-end throughput and latency of Spindle used as a library: producers call"
          + " Spindle.submitAll in-process on the embedded SQLite store (synchronous=FULL),"
          + " no-op tasks, a task counts as done once its outcome is committed."
    })
public final class EmbeddedBench implements Callable<Integer> {
  @Option(
      names = "--tasks",
      defaultValue = "200000",
      description = "no-op tasks in the throughput run (default ${DEFAULT-VALUE})")
  int tasks;

  @Option(
      names = "--producers",
      defaultValue = "4",
      description = "threads submitting concurrently (default ${DEFAULT-VALUE})")
  int producers;

  @Option(
      names = "--batch",
      defaultValue = "100",
      description = "tasks per submitAll call; 1 submits one at a time (default ${DEFAULT-VALUE})")
  int batch;

  @Option(
      names = "--concurrency",
      defaultValue = "256",
      description = "worker slots of the queue (default ${DEFAULT-VALUE})")
  int concurrency;

  @Option(
      names = "--paced-seconds",
      defaultValue = "10",
      description = "length of the steady-rate latency run at half the measured rate; 0 skips it")
  int pacedSeconds;

  @Option(
      names = "--dir",
      description = "directory for the database files (default: a new temporary directory)")
  Path dir;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (tasks < 1 || producers < 1 || batch < 1 || concurrency < 1 || pacedSeconds < 0) {
      throw new ParameterException(
          spec.commandLine(),
          "--tasks, --producers, --batch and --concurrency must be >= 1, --paced-seconds >= 0");
    }
    Path base =
        dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("spindle-bench");
    AtomicInteger run = new AtomicInteger();
    EndToEndRun e2e =
        new EndToEndRun(
            () -> SqliteTaskStore.open(freshDb(base, run.incrementAndGet())), concurrency);

    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "Spindle end to end on SQLite (synchronous=FULL: a submit returns once committed)%n"
            + "%s, %d cores, Java %s, %d tasks, %d producers x batch %d, concurrency %d%n%n",
        LocalDate.now(),
        Runtime.getRuntime().availableProcessors(),
        Runtime.version(),
        tasks,
        producers,
        batch,
        concurrency);

    out.println("warm-up…");
    e2e.bulk(Math.min(tasks, 20_000), producers, batch);
    EndToEndRun.Throughput t = e2e.bulk(tasks, producers, batch);
    out.printf(
        "throughput  submitted %,10.0f tasks/s   end to end %,10.0f tasks/s   (%d tasks in %.2f s)%n",
        t.submitRate(), t.endToEndRate(), t.tasks(), t.endToEndSeconds());
    out.printf("            submit-to-start under bulk load: %s%n", t.latency().format());
    if (pacedSeconds > 0) {
      double rate = Math.floor(t.endToEndRate() / 2);
      EndToEndRun.Paced p = e2e.paced(rate, Duration.ofSeconds(pacedSeconds));
      out.printf(
          "paced       %,10.0f tasks/s offered (half the maximum), one submit per task: %s%n",
          p.targetRate(), p.latency().format());
    }
    return 0;
  }

  private static Path freshDb(Path base, int n) {
    try {
      Path db = base.resolve("bench-" + n + ".db");
      for (String suffix : new String[] {"", "-wal", "-shm", ".lock"}) {
        Files.deleteIfExists(Path.of(db + suffix));
      }
      return db;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
