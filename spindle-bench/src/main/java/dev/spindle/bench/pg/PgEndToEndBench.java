package dev.spindle.bench.pg;

import dev.spindle.bench.BenchDatabase;
import dev.spindle.bench.BenchOptions;
import dev.spindle.bench.FinishedAttempts;
import dev.spindle.bench.PgUrlOption;
import dev.spindle.core.Spindle;
import dev.spindle.core.TaskRequest;
import dev.spindle.store.postgres.PostgresStoreOptions;
import dev.spindle.store.postgres.PostgresTaskStore;
import java.io.PrintWriter;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spindle bench pg-end-to-end}: end-to-end no-op tasks per second through the Java API on
 * one node on PostgreSQL: producers call {@code submitAll} in batches, one queue runs them, and a
 * task counts once the store committed its outcome (the engine's {@code attemptFinished} event).
 * Each run uses a fresh schema, dropped afterwards. Besides the rates it prints CPU time per task
 * of this JVM, of the store's server processes and of the rest of PostgreSQL ({@link CpuMeter}),
 * and with {@code --timings} calls, rows and time per store method ({@link TimedStore}): where the
 * time of a run goes, which {@code spindle bench peers} does not show.
 *
 * <pre>
 * ./spindle bench pg-end-to-end [--pg-url URL] [--tasks 200000] [--producers 4] [--batch 100] \
 *     [--concurrency 256] [--pool 16] [--runs 3] [--timings] [--no-notify]
 * </pre>
 */
@Command(
    name = "pg-end-to-end",
    mixinStandardHelpOptions = true,
    description = {
      "End-to-end throughput of one Spindle node on PostgreSQL through the Java API, and where"
          + " its time goes: --producers threads call submitAll with --batch no-op tasks, one queue"
          + " runs them, a task counts as done once its outcome is committed.",
      "After an unreported warm-up run, each of --runs runs (in a fresh schema, dropped"
          + " afterwards) reports the submit and end-to-end rates and the CPU time per task of"
          + " this JVM, of the store's PostgreSQL server processes and of the rest of PostgreSQL"
          + " (Linux only: read from /proc); with --timings also calls, rows and time per store"
          + " method."
    })
public final class PgEndToEndBench implements Callable<Integer> {
  private static final String SCHEMA = "spindle_bench_e2e";

  @Mixin PgUrlOption pg;

  @Option(
      names = "--tasks",
      defaultValue = "200000",
      description = "no-op tasks per run (default ${DEFAULT-VALUE})")
  int tasks;

  @Option(
      names = "--producers",
      defaultValue = "4",
      description = "threads submitting concurrently (default ${DEFAULT-VALUE})")
  int producers;

  @Option(
      names = "--batch",
      defaultValue = "100",
      description = "tasks per submitAll call (default ${DEFAULT-VALUE})")
  int batch;

  @Option(
      names = "--concurrency",
      defaultValue = "256",
      description = "worker slots of the queue (default ${DEFAULT-VALUE})")
  int concurrency;

  @Option(
      names = "--pool",
      defaultValue = "16",
      description = "database connections of the store (default ${DEFAULT-VALUE})")
  int pool;

  @Option(
      names = "--runs",
      defaultValue = "3",
      description = "measured runs (default ${DEFAULT-VALUE})")
  int runs;

  @Option(
      names = "--timings",
      description = "also print calls, rows and time per store method after each run")
  boolean timings;

  @Option(
      names = "--notify",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "let the store NOTIFY on enqueue and LISTEN; --no-notify leaves the node to find new"
              + " tasks by polling (default ${DEFAULT-VALUE})")
  boolean notifications;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    BenchOptions.atLeast(spec, "--tasks", tasks, 1);
    BenchOptions.atLeast(spec, "--producers", producers, 1);
    BenchOptions.atLeast(spec, "--batch", batch, 1);
    BenchOptions.atLeast(spec, "--concurrency", concurrency, 1);
    BenchOptions.atLeast(spec, "--pool", pool, 1);
    BenchOptions.atLeast(spec, "--runs", runs, 1);
    BenchDatabase db = pg.reachable(spec);
    if (db == null) {
      return 2;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "Spindle end to end on PostgreSQL, one node: %d cores, Java %s, %d tasks, %d producers x"
            + " batch %d, concurrency %d, pool %d%n",
        Runtime.getRuntime().availableProcessors(),
        Runtime.version(),
        tasks,
        producers,
        batch,
        concurrency,
        pool);
    run(db, out, "warm-up", Math.min(tasks, 20_000), false);
    for (int r = 1; r <= runs; r++) {
      run(db, out, "run " + r, tasks, timings);
    }
    return 0;
  }

  /** One run of {@code taskCount} tasks on a fresh schema, reported as one line (or more). */
  private void run(
      BenchDatabase db, PrintWriter out, String label, int taskCount, boolean printTimings)
      throws Exception {
    db.dropSchema(SCHEMA);
    CountDownLatch done = new CountDownLatch(taskCount);
    FinishedAttempts finished = new FinishedAttempts(done::countDown);
    TimedStore store =
        new TimedStore(
            PostgresTaskStore.open(
                PostgresStoreOptions.builder()
                    .url(pg.url())
                    .schema(SCHEMA)
                    .poolSize(pool)
                    .notifications(notifications)
                    .build()));
    try (Spindle spindle =
        Spindle.builder()
            .store(store)
            .listener(finished)
            .retention(Duration.ZERO)
            .queue("default", concurrency)
            .handler("noop", Long.class, (n, ctx) -> null)
            .build()
            .start()) {
      try (Connection meterConnection = db.connect()) {
        CpuMeter.Snapshot cpu0 = CpuMeter.take(meterConnection);
        long t0 = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
          List<Future<?>> running = new ArrayList<>();
          for (int p = 0; p < producers; p++) {
            running.add(
                threads.submit(
                    () -> {
                      List<TaskRequest> chunk = new ArrayList<>(batch);
                      while (true) {
                        int start = next.getAndAdd(batch);
                        if (start >= taskCount) {
                          return null;
                        }
                        chunk.clear();
                        for (int i = 0; i < Math.min(batch, taskCount - start); i++) {
                          chunk.add(TaskRequest.of("noop", (long) start + i));
                        }
                        spindle.submitAll(chunk);
                      }
                    }));
          }
          for (Future<?> f : running) {
            f.get();
          }
        }
        double submitted = (System.nanoTime() - t0) / 1e9;
        if (!done.await(10, TimeUnit.MINUTES)) {
          throw new IllegalStateException(done.getCount() + " tasks did not finish in 10 minutes");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        CpuMeter.Snapshot cpu1 = CpuMeter.take(meterConnection);
        out.printf(
            "%-8s submitted %,9.0f tasks/s   end to end %,9.0f tasks/s   (%d tasks in %.2f s)%n",
            label, taskCount / submitted, taskCount / seconds, taskCount, seconds);
        out.println("         " + CpuMeter.perTask(cpu0, cpu1, taskCount));
      }
      if (printTimings) {
        out.print(store.report());
        out.flush();
      }
    } finally {
      db.dropSchema(SCHEMA);
    }
  }
}
