package dev.spindle.store.postgres.bench;

import dev.spindle.core.Spindle;
import dev.spindle.core.SpindleListener;
import dev.spindle.core.TaskRequest;
import dev.spindle.store.postgres.PostgresStoreOptions;
import dev.spindle.store.postgres.PostgresTaskStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * End-to-end no-op tasks per second through the Java API on one node: producers call {@code
 * submitAll} in batches, one queue runs them, and a task counts once the store committed its
 * outcome (the engine's {@code attemptFinished} event). Each run uses a fresh schema.
 *
 * <pre>
 * java -cp ... dev.spindle.store.postgres.bench.EndToEndBench \
 *     [--url ...] [--tasks 200000] [--producers 4] [--batch 100] [--concurrency 256] \
 *     [--pool 16] [--runs 3] [--timings true] [--notify false]
 * </pre>
 */
public final class EndToEndBench {
  private EndToEndBench() {}

  public static void main(String[] args) throws Exception {
    BenchArgs a = new BenchArgs(args);
    int tasks = a.getInt("tasks", 200_000);
    int producers = a.getInt("producers", 4);
    int batch = a.getInt("batch", 100);
    int concurrency = a.getInt("concurrency", 256);
    int pool = a.getInt("pool", 16);
    int runs = a.getInt("runs", 3);
    String url = a.url();
    System.out.printf(
        "Spindle end to end on PostgreSQL, one node: %d cores, Java %s, %d tasks, %d producers x"
            + " batch %d, concurrency %d, pool %d%n",
        Runtime.getRuntime().availableProcessors(),
        Runtime.version(),
        tasks,
        producers,
        batch,
        concurrency,
        pool);
    boolean timings = "true".equals(a.get("timings", "false"));
    boolean notify = !"false".equals(a.get("notify", "true"));
    run(
        url,
        "warm-up",
        Math.min(tasks, 20_000),
        producers,
        batch,
        concurrency,
        pool,
        notify,
        false);
    for (int r = 1; r <= runs; r++) {
      run(url, "run " + r, tasks, producers, batch, concurrency, pool, notify, timings);
    }
  }

  private static void run(
      String url,
      String label,
      int tasks,
      int producers,
      int batch,
      int concurrency,
      int pool,
      boolean notify,
      boolean timings)
      throws Exception {
    String schema = "spindle_bench_e2e";
    sql(url, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    CountDownLatch done = new CountDownLatch(tasks);
    SpindleListener finished =
        new SpindleListener() {
          @Override
          public void attemptFinished(
              String queue, String type, long taskId, AttemptResult result, Duration ran) {
            done.countDown();
          }
        };
    TimedStore store =
        new TimedStore(
            PostgresTaskStore.open(
                PostgresStoreOptions.builder()
                    .url(url)
                    .schema(schema)
                    .poolSize(pool)
                    .notifications(notify)
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
      Connection meterConnection = connect(url);
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
                      if (start >= tasks) {
                        return null;
                      }
                      chunk.clear();
                      for (int i = 0; i < Math.min(batch, tasks - start); i++) {
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
      meterConnection.close();
      System.out.printf(
          "%-8s submitted %,9.0f tasks/s   end to end %,9.0f tasks/s   (%d tasks in %.2f s)%n",
          label, tasks / submitted, tasks / seconds, tasks, seconds);
      System.out.println("         " + CpuMeter.perTask(cpu0, cpu1, tasks));
      if (timings) {
        System.out.print(store.report());
      }
    } finally {
      sql(url, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  private static Connection connect(String url) throws Exception {
    return DriverManager.getConnection(PostgresStoreOptions.forUrl(url).jdbcUrl().orElseThrow());
  }

  private static void sql(String url, String statement) throws Exception {
    try (Connection c = connect(url);
        Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }
}
