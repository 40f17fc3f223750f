package dev.spindle.bench.pg;

import dev.spindle.bench.BenchDatabase;
import dev.spindle.bench.BenchOptions;
import dev.spindle.bench.PgUrlOption;
import dev.spindle.core.store.ClaimRequest;
import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.store.Outcome;
import dev.spindle.core.task.NewTask;
import dev.spindle.store.postgres.PostgresStoreOptions;
import dev.spindle.store.postgres.PostgresTaskStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spindle bench claim-latency}: claim latency with an empty history versus with millions of
 * finished tasks in it: the hot table should not care. Two schemas are prepared, one with an empty
 * history and one whose history table holds {@code --history} finished rows (one INSERT ... SELECT
 * generate_series). Then rounds alternate between them, so load from elsewhere on the machine hits
 * both alike.
 *
 * <p>Each round enqueues {@code --ready} tasks, vacuums the hot table, then times {@code --claims}
 * claims of {@code --batch} tasks, completing each batch (untimed) so the next claim finds the next
 * tasks, as a worker would; completions keep moving rows into the history table.
 *
 * <pre>
 * ./spindle bench claim-latency [--pg-url URL] [--history 5000000] [--ready 20000] \
 *     [--claims 2000] [--batch 10] [--rounds 3] [--keep]
 * </pre>
 */
@Command(
    name = "claim-latency",
    mixinStandardHelpOptions = true,
    description = {
      "Claim latency of the PostgreSQL store with an empty history versus with --history finished"
          + " tasks in it. Two schemas are prepared, spindle_bench_empty and spindle_bench_full"
          + " (dropped first if they exist), and rounds alternate between them, so load from"
          + " elsewhere on the machine hits both alike.",
      "Each round enqueues --ready tasks, vacuums the hot table, then times --claims claims of"
          + " --batch tasks, completing each batch (untimed) as a worker would; reports p50, p90,"
          + " p99 and max claim latency per schema and their ratios."
    })
public final class ClaimLatencyBench implements Callable<Integer> {
  private static final String EMPTY_SCHEMA = "spindle_bench_empty";
  private static final String FULL_SCHEMA = "spindle_bench_full";

  @Mixin PgUrlOption pg;

  @Option(
      names = "--history",
      defaultValue = "5000000",
      description = "finished tasks in the history of the full schema (default ${DEFAULT-VALUE})")
  int history;

  @Option(
      names = "--ready",
      defaultValue = "20000",
      description = "tasks enqueued at the start of each round (default ${DEFAULT-VALUE})")
  int ready;

  @Option(
      names = "--claims",
      defaultValue = "2000",
      description = "timed claims per round and schema (default ${DEFAULT-VALUE})")
  int claims;

  @Option(
      names = "--batch",
      defaultValue = "10",
      description = "tasks asked for by each claim (default ${DEFAULT-VALUE})")
  int batch;

  @Option(
      names = "--rounds",
      defaultValue = "3",
      description = "rounds per schema (default ${DEFAULT-VALUE})")
  int rounds;

  @Option(names = "--keep", description = "keep both schemas afterwards, to inspect them")
  boolean keep;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    BenchOptions.atLeast(spec, "--history", history, 0);
    BenchOptions.atLeast(spec, "--ready", ready, 1);
    BenchOptions.atLeast(spec, "--claims", claims, 1);
    BenchOptions.atLeast(spec, "--batch", batch, 1);
    BenchOptions.atLeast(spec, "--rounds", rounds, 1);
    BenchDatabase db = pg.reachable(spec);
    if (db == null) {
      return 2;
    }
    PrintWriter out = spec.commandLine().getOut();
    for (String schema : List.of(EMPTY_SCHEMA, FULL_SCHEMA)) {
      db.dropSchema(schema);
    }
    try (PostgresTaskStore empty = open(EMPTY_SCHEMA);
        PostgresTaskStore full = open(FULL_SCHEMA)) {
      long t0 = System.nanoTime();
      fillHistory(db, FULL_SCHEMA, history);
      out.printf(
          "filled the history of %s with %,d finished tasks in %.1f s%n",
          FULL_SCHEMA, history, (System.nanoTime() - t0) / 1e9);
      out.printf(
          "claim latency: %d rounds per schema of %d claims of %d tasks from %d READY tasks%n",
          rounds, claims, batch, ready);
      long[] emptyAll = new long[0];
      long[] fullAll = new long[0];
      for (int r = 1; r <= rounds; r++) {
        long[] e = round(empty, db, EMPTY_SCHEMA);
        long[] f = round(full, db, FULL_SCHEMA);
        out.printf(
            "round %d: p50 empty %5.0f µs, full %5.0f µs; p99 empty %6.0f µs, full %6.0f µs%n",
            r,
            percentile(e, 50) / 1e3,
            percentile(f, 50) / 1e3,
            percentile(e, 99) / 1e3,
            percentile(f, 99) / 1e3);
        emptyAll = concat(emptyAll, e);
        fullAll = concat(fullAll, f);
      }
      report(out, "empty history", emptyAll);
      report(out, String.format("%,d in history", history), fullAll);
      out.printf(
          "ratio history/empty: p50 %.2f, p99 %.2f%n",
          (double) percentile(fullAll, 50) / percentile(emptyAll, 50),
          (double) percentile(fullAll, 99) / percentile(emptyAll, 99));
    } finally {
      if (!keep) {
        for (String schema : List.of(EMPTY_SCHEMA, FULL_SCHEMA)) {
          db.dropSchema(schema);
        }
      }
    }
    return 0;
  }

  private PostgresTaskStore open(String schema) {
    return PostgresTaskStore.open(
        PostgresStoreOptions.builder().url(pg.url()).schema(schema).poolSize(2).build());
  }

  private static long[] concat(long[] a, long[] b) {
    long[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    Arrays.sort(out);
    return out;
  }

  /** One round on {@code store}; returns the claim latencies in nanoseconds, sorted. */
  private long[] round(PostgresTaskStore store, BenchDatabase db, String schema) throws Exception {
    Instant now = Instant.now();
    List<NewTask> chunk = new ArrayList<>();
    for (int i = 0; i < ready; i++) {
      chunk.add(task(now, "{\"i\":" + i + "}"));
      if (chunk.size() == 1000) {
        store.enqueue(chunk);
        chunk.clear();
      }
    }
    if (!chunk.isEmpty()) {
      store.enqueue(chunk);
    }
    db.execute("VACUUM ANALYZE " + schema + ".spindle_task");
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

  /**
   * A READY task of queue {@code bench}, due {@code now}: priority 0, three attempts, no deadline,
   * no idempotency key, the fingerprint derived from type, queue and payload.
   */
  private static NewTask task(Instant now, String payloadJson) {
    String type = "bench.noop";
    String queue = "bench";
    return new NewTask(
        type,
        queue,
        payloadJson,
        0,
        now,
        Optional.empty(),
        3,
        Duration.ZERO,
        Optional.empty(),
        type + "|" + queue + "|" + payloadJson,
        now);
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

  private static void fillHistory(BenchDatabase db, String schema, int rows) throws Exception {
    db.execute(
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
    db.execute("VACUUM ANALYZE " + schema + ".spindle_task_done");
  }

  private static void report(PrintWriter out, String label, long[] sorted) {
    out.printf(
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
}
