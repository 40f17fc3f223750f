package dev.spindle.store.postgres.multinode;

import dev.spindle.core.Spindle;
import dev.spindle.core.SpindleListener;
import dev.spindle.core.TaskRequest;
import dev.spindle.store.postgres.PostgresStoreOptions;
import dev.spindle.store.postgres.PostgresTaskStore;
import dev.spindle.store.postgres.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * End-to-end no-op tasks per second with 1, 2 and 3 nodes on one PostgreSQL schema. The nodes run
 * in this JVM, each a {@link Spindle} with its own {@link PostgresTaskStore} (own pool, own LISTEN
 * connection, own maintenance), so they meet only in the database, as separate processes would.
 * Producers spread {@code submitAll} batches over the nodes round-robin; a task counts once the
 * node that ran it committed its outcome (the {@code attemptFinished} event). Every run uses a
 * fresh schema; the median of the runs is reported per node count.
 *
 * <pre>
 * java -cp ... dev.spindle.store.postgres.multinode.MultiNodeBench \
 *     [url] [tasks 200000] [runs 3] [concurrency per node 256] [pool per node 16]
 * </pre>
 */
public final class MultiNodeBench {
  private static final int PRODUCERS = 4;
  private static final int BATCH = 100;

  private MultiNodeBench() {}

  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : TestDatabase.URL;
    int tasks = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int concurrency = args.length > 3 ? Integer.parseInt(args[3]) : 256;
    int pool = args.length > 4 ? Integer.parseInt(args[4]) : 16;
    System.out.printf(
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
    run(url, 1, Math.min(tasks, 20_000), concurrency, pool); // warm-up
    for (int nodes = 1; nodes <= 3; nodes++) {
      double[] rates = new double[runs];
      for (int r = 0; r < runs; r++) {
        rates[r] = run(url, nodes, tasks, concurrency, pool);
        System.out.printf("  %d node(s), run %d: %,9.0f tasks/s%n", nodes, r + 1, rates[r]);
      }
      Arrays.sort(rates);
      System.out.printf("%d node(s): median %,9.0f tasks/s%n", nodes, rates[runs / 2]);
    }
  }

  /** One run on a fresh schema; returns end-to-end tasks per second. */
  private static double run(String url, int nodeCount, int tasks, int concurrency, int pool)
      throws Exception {
    String schema = TestDatabase.newSchema("spindle_bench_multinode_");
    CountDownLatch done = new CountDownLatch(tasks);
    SpindleListener finished =
        new SpindleListener() {
          @Override
          public void attemptFinished(
              String queue, String type, long taskId, AttemptResult result, Duration ran) {
            done.countDown();
          }
        };
    List<Spindle> nodes = new ArrayList<>();
    try {
      for (int n = 0; n < nodeCount; n++) {
        // One at a time: the first migrates the schema, the others find it current.
        nodes.add(
            Spindle.builder()
                .store(
                    PostgresTaskStore.open(
                        PostgresStoreOptions.builder()
                            .url(url)
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
                      if (start >= tasks) {
                        return null;
                      }
                      chunk.clear();
                      for (int i = 0; i < Math.min(BATCH, tasks - start); i++) {
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
      return tasks / ((System.nanoTime() - t0) / 1e9);
    } finally {
      for (Spindle node : nodes) {
        node.close(); // closes its store too
      }
      try (Connection c =
              DriverManager.getConnection(
                  PostgresStoreOptions.forUrl(url).jdbcUrl().orElseThrow());
          Statement st = c.createStatement()) {
        st.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
      }
    }
  }
}
