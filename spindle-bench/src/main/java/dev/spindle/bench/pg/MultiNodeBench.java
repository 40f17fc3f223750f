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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
 * {@code spindle bench multinode}: end-to-end no-op tasks per second with 1, 2 and 3 nodes on one
 * PostgreSQL schema. The nodes run in this JVM, each a {@link Spindle} with its own {@link
 * PostgresTaskStore} (own pool, own LISTEN connection, own maintenance), so they meet only in the
 * database, as separate processes would. Producers spread {@code submitAll} batches over the nodes
 * round-robin; a task counts once the node that ran it committed its outcome (the {@code
 * attemptFinished} event). Every run uses a fresh schema, dropped afterwards; the median of the
 * runs is reported per node count.
 *
 * <pre>
 * ./spindle bench multinode [--pg-url URL] [--tasks 200000] [--runs 3] [--concurrency 256] \
 *     [--pool 16]
 * </pre>
 */
@Command(
    name = "multinode",
    mixinStandardHelpOptions = true,
    description = {
      "End-to-end throughput of 1, 2 and 3 Spindle nodes sharing one PostgreSQL schema: the"
          + " nodes run in this process, each with its own store (own connection pool, LISTEN"
          + " connection and maintenance), so they meet only in the database. 4 producers spread"
          + " submitAll batches of 100 no-op tasks over the nodes round-robin; a task counts as"
          + " done once the node that ran it committed its outcome.",
      "After an unreported warm-up run on one node, each node count runs --runs times, each run"
          + " in a fresh schema dropped afterwards, and the median is reported."
    })
public final class MultiNodeBench implements Callable<Integer> {
  private static final int MAX_NODES = 3;
  private static final int PRODUCERS = 4;
  private static final int BATCH = 100;

  @Mixin PgUrlOption pg;

  @Option(
      names = "--tasks",
      defaultValue = "200000",
      description = "no-op tasks per run (default ${DEFAULT-VALUE})")
  int tasks;

  @Option(
      names = "--runs",
      defaultValue = "3",
      description = "measured runs per node count (default ${DEFAULT-VALUE})")
  int runs;

  @Option(
      names = "--concurrency",
      defaultValue = "256",
      description = "worker slots of each node's queue (default ${DEFAULT-VALUE})")
  int concurrency;

  @Option(
      names = "--pool",
      defaultValue = "16",
      description = "database connections of each node's store (default ${DEFAULT-VALUE})")
  int pool;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    BenchOptions.atLeast(spec, "--tasks", tasks, 1);
    BenchOptions.atLeast(spec, "--runs", runs, 1);
    BenchOptions.atLeast(spec, "--concurrency", concurrency, 1);
    BenchOptions.atLeast(spec, "--pool", pool, 1);
    BenchDatabase db = pg.reachable(spec);
    if (db == null) {
      return 2;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "Spindle multi-node end to end on PostgreSQL: %d cores, Java %s, %d no-op tasks, %d"
            + " producers x batch %d, per node concurrency %d and pool %d, median of %d runs%n",
        Runtime.getRuntime().availableProcessors(),
        Runtime.version(),
        tasks,
        PRODUCERS,
        BATCH,
        concurrency,
        pool,
        runs);
    run(db, 1, Math.min(tasks, 20_000)); // warm-up
    for (int nodes = 1; nodes <= MAX_NODES; nodes++) {
      double[] rates = new double[runs];
      for (int r = 0; r < runs; r++) {
        rates[r] = run(db, nodes, tasks);
        out.printf("  %d node(s), run %d: %,9.0f tasks/s%n", nodes, r + 1, rates[r]);
      }
      Arrays.sort(rates);
      out.printf("%d node(s): median %,9.0f tasks/s%n", nodes, rates[runs / 2]);
    }
    return 0;
  }

  /** One run of {@code taskCount} tasks on a fresh schema; returns end-to-end tasks per second. */
  private double run(BenchDatabase db, int nodeCount, int taskCount) throws Exception {
    String schema = BenchDatabase.newSchemaName("spindle_bench_multinode_");
    CountDownLatch done = new CountDownLatch(taskCount);
    FinishedAttempts finished = new FinishedAttempts(done::countDown);
    List<Spindle> nodes = new ArrayList<>();
    try {
      for (int n = 0; n < nodeCount; n++) {
        // One at a time: the first migrates the schema, the others find it current.
        nodes.add(
            Spindle.builder()
                .store(
                    PostgresTaskStore.open(
                        PostgresStoreOptions.builder()
                            .url(pg.url())
                            .schema(schema)
                            .poolSize(pool)
                            .build()))
                .workerId("bench-node-" + n)
                .listener(finished)
                .retention(Duration.ZERO)
                .queue("default", concurrency)
                .handler("noop", Long.class, (x, ctx) -> null)
                .build()
                .start());
      }
      long t0 = System.nanoTime();
      AtomicInteger next = new AtomicInteger();
      try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<?>> running = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
          running.add(
              threads.submit(
                  () -> {
                    List<TaskRequest> chunk = new ArrayList<>(BATCH);
                    while (true) {
                      int start = next.getAndAdd(BATCH);
                      if (start >= taskCount) {
                        return null;
                      }
                      chunk.clear();
                      for (int i = 0; i < Math.min(BATCH, taskCount - start); i++) {
                        chunk.add(TaskRequest.of("noop", (long) start + i));
                      }
                      nodes.get((start / BATCH) % nodes.size()).submitAll(chunk);
                    }
                  }));
        }
        for (Future<?> f : running) {
          f.get();
        }
      }
      if (!done.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException(done.getCount() + " tasks did not finish in 10 minutes");
      }
      return taskCount / ((System.nanoTime() - t0) / 1e9);
    } finally {
      for (Spindle node : nodes) {
        node.close(); // closes its store too
      }
      db.dropSchema(schema);
    }
  }
}
