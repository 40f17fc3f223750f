package dev.spindle.store.postgres.bench;

import dev.spindle.core.store.ClaimRequest;
import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.store.Outcome;
import dev.spindle.core.task.NewTask;
import dev.spindle.store.postgres.PostgresStoreOptions;
import dev.spindle.store.postgres.PostgresTaskStore;
import dev.spindle.testkit.store.NewTasks;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Claim latency with an empty history versus with millions of finished tasks in it: the hot table
 * should not care. Two schemas are prepared, one with an empty history and one whose history table
 * holds {@code --history} finished rows (one INSERT ... SELECT generate_series). Then rounds
 * alternate between them, so load from elsewhere on the machine hits both alike.
 *
 * <p>Each round enqueues {@code --ready} tasks, vacuums the hot table, then times {@code --claims}
 * claims of {@code --batch} tasks, completing each batch (untimed) so the next claim finds the next
 * tasks, as a worker would; completions keep moving rows into the history table.
 *
 * <pre>
 * java -cp ... dev.spindle.store.postgres.bench.ClaimLatencyBench \
 *     [--url jdbc:postgresql://127.0.0.1:5432/test?user=postgres] [--history 5000000] \
 *     [--ready 20000] [--claims 2000] [--batch 10] [--rounds 3]
 * </pre>
 */
public final class ClaimLatencyBench {
  private ClaimLatencyBench() {}

  public static void main(String[] args) throws Exception {
    BenchArgs a = new BenchArgs(args);
    int history = a.getInt("history", 5_000_000);
    int ready = a.getInt("ready", 20_000);
    int claims = a.getInt("claims", 2_000);
    int batch = a.getInt("batch", 10);
    int rounds = a.getInt("rounds", 3);
    String url = a.url();
    String emptySchema = "spindle_bench_empty";
    String fullSchema = "spindle_bench_full";
    for (String schema : List.of(emptySchema, fullSchema)) {
      sql(url, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
    try (PostgresTaskStore empty = open(url, emptySchema);
        PostgresTaskStore full = open(url, fullSchema)) {
      long t0 = System.nanoTime();
      fillHistory(url, fullSchema, history);
      System.out.printf(
          "filled the history of %s with %,d finished tasks in %.1f s%n",
          fullSchema, history, (System.nanoTime() - t0) / 1e9);
      System.out.printf(
          "claim latency: %d rounds per schema of %d claims of %d tasks from %d READY tasks%n",
          rounds, claims, batch, ready);
      long[] emptyAll = new long[0];
      long[] fullAll = new long[0];
      for (int r = 1; r <= rounds; r++) {
        long[] e = round(empty, url, emptySchema, ready, claims, batch);
        long[] f = round(full, url, fullSchema, ready, claims, batch);
        System.out.printf(
            "round %d: p50 empty %5.0f µs, full %5.0f µs; p99 empty %6.0f µs, full %6.0f µs%n",
            r,
            percentile(e, 50) / 1e3,
            percentile(f, 50) / 1e3,
            percentile(e, 99) / 1e3,
            percentile(f, 99) / 1e3);
        emptyAll = concat(emptyAll, e);
        fullAll = concat(fullAll, f);
      }
      report("empty history", emptyAll);
      report(String.format("%,d in history", history), fullAll);
      System.out.printf(
          "ratio history/empty: p50 %.2f, p99 %.2f%n",
          (double) percentile(fullAll, 50) / percentile(emptyAll, 50),
          (double) percentile(fullAll, 99) / percentile(emptyAll, 99));
    } finally {
      if (!"true".equals(a.get("keep", "false"))) {
        for (String schema : List.of(emptySchema, fullSchema)) {
          sql(url, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
      }
    }
  }

  private static PostgresTaskStore open(String url, String schema) {
    return PostgresTaskStore.open(
        PostgresStoreOptions.builder().url(url).schema(schema).poolSize(2).build());
  }

  private static long[] concat(long[] a, long[] b) {
    long[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    Arrays.sort(out);
    return out;
  }

  private static long[] round(
      PostgresTaskStore store, String url, String schema, int ready, int claims, int batch)
      throws Exception {
    Instant now = Instant.now();
    List<NewTask> chunk = new ArrayList<>();
    for (int i = 0; i < ready; i++) {
      chunk.add(NewTasks.task("bench", now).payload("{\"i\":" + i + "}").build());
      if (chunk.size() == 1000) {
        store.enqueue(chunk);
        chunk.clear();
      }
    }
    if (!chunk.isEmpty()) {
      store.enqueue(chunk);
    }
    sql(url, "VACUUM ANALYZE " + schema + ".spindle_task");
    for (int i = 0; i < 200; i++) { // warm-up: plans cached, pages in memory
      claimAndComplete(store, now, batch);
    }
    long[] nanos = new long[claims];
    for (int i = 0; i < claims; i++) {
      nanos[i] = claimAndComplete(store, now, batch);
    }
    drain(store, now);
    Arrays.sort(nanos);
    return nanos;
  }

  /** Leaves the hot table empty for the next round. */
  private static void drain(PostgresTaskStore store, Instant now) {
    List<ClaimedTask> claimed;
    do {
      claimed = store.claim(new ClaimRequest("bench", "drain", 1000, now, now.plusSeconds(60)));
      List<Outcome> outcomes = new ArrayList<>(claimed.size());
      for (ClaimedTask t : claimed) {
        outcomes.add(new Outcome.Succeeded(t.id(), t.leaseToken(), "null", now));
      }
      store.complete(outcomes);
    } while (!claimed.isEmpty());
  }

  /** Claims and completes one batch; returns the claim's latency in nanoseconds. */
  private static long claimAndComplete(PostgresTaskStore store, Instant now, int batch) {
    long t0 = System.nanoTime();
    List<ClaimedTask> claimed =
        store.claim(new ClaimRequest("bench", "bench-worker", batch, now, now.plusSeconds(60)));
    long took = System.nanoTime() - t0;
    List<Outcome> outcomes = new ArrayList<>(claimed.size());
    for (ClaimedTask t : claimed) {
      outcomes.add(new Outcome.Succeeded(t.id(), t.leaseToken(), "null", now));
    }
    store.complete(outcomes);
    return took;
  }

  private static void fillHistory(String url, String schema, int rows) throws Exception {
    sql(
        url,
        "INSERT INTO "
            + schema
            + ".spindle_task_done (id, type, queue, state, priority, payload, result, attempts,"
            + " max_attempts, created_at, run_at, timeout_ms, started_at, finished_at,"
            + " fingerprint, lease_token, cancel_requested)"
            + " SELECT nextval('"
            + schema
            + ".spindle_task_id_seq'), 'bench.noop', 'bench', 'SUCCEEDED', 0,"
            + " '{\"i\":' || g || '}', 'null', 1, 3, now() - interval '1 day',"
            + " now() - interval '1 day', 0, now() - interval '1 day', now() - interval '1 day',"
            + " 'fp', g, false FROM generate_series(1, "
            + rows
            + ") g");
    sql(url, "VACUUM ANALYZE " + schema + ".spindle_task_done");
  }

  private static void report(String label, long[] sorted) {
    System.out.printf(
        "%-22s claim p50 %6.0f µs   p90 %6.0f µs   p99 %6.0f µs   max %7.0f µs%n",
        label,
        percentile(sorted, 50) / 1e3,
        percentile(sorted, 90) / 1e3,
        percentile(sorted, 99) / 1e3,
        sorted[sorted.length - 1] / 1e3);
  }

  private static long percentile(long[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p / 100.0) - 1)];
  }

  private static void sql(String url, String statement) throws Exception {
    try (Connection c =
            DriverManager.getConnection(
                dev.spindle.store.postgres.PostgresStoreOptions.forUrl(url)
                    .jdbcUrl()
                    .orElseThrow());
        Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }
}
