package dev.spindle.bench.peers;

import dev.spindle.core.Spindle;
import dev.spindle.core.SpindleListener;
import dev.spindle.core.TaskRequest;
import dev.spindle.store.postgres.PostgresStoreOptions;
import dev.spindle.store.postgres.PostgresTaskStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Spindle on its PostgreSQL store, default options but the pool size; submits with submitAll. */
final class SpindleOnPostgres implements PeerSystem {
  private static final int SUBMIT_BATCH = 1000;

  private final PeerDatabase db;

  SpindleOnPostgres(PeerDatabase db) {
    this.db = db;
  }

  @Override
  public String name() {
    return "Spindle";
  }

  @Override
  public String settings() {
    return "defaults, submitAll of " + SUBMIT_BATCH;
  }

  @Override
  public PeerResult run(String schema, int tasks, int workers, Duration timeout) throws Exception {
    RunTally tally = RunTally.begin(tasks);
    AtomicInteger finished = new AtomicInteger();
    SpindleListener counter =
        new SpindleListener() {
          @Override
          public void attemptFinished(
              String queue, String type, long taskId, AttemptResult result, Duration ran) {
            finished.incrementAndGet();
          }
        };
    PostgresTaskStore store =
        PostgresTaskStore.open(
            PostgresStoreOptions.builder()
                .url(db.url())
                .schema(schema)
                .poolSize(db.poolSize())
                .build());
    try (Spindle spindle =
        Spindle.builder()
            .store(store)
            .listener(counter)
            .queue("default", workers)
            .handler(
                "noop",
                Integer.class,
                (task, ctx) -> {
                  tally.ran(task);
                  return null;
                })
            .build()
            .start()) {
      long t0 = System.nanoTime();
      List<TaskRequest> chunk = new ArrayList<>(SUBMIT_BATCH);
      for (int i = 0; i < tasks; i++) {
        chunk.add(TaskRequest.of("noop", i));
        if (chunk.size() == SUBMIT_BATCH || i == tasks - 1) {
          spindle.submitAll(chunk);
          chunk.clear();
        }
      }
      long submitted = System.nanoTime();
      int done = Drain.await(finished::get, tasks, t0, timeout);
      long end = System.nanoTime();
      return new PeerResult(
          name(),
          settings(),
          tasks,
          (submitted - t0) / 1e9,
          (end - t0) / 1e9,
          tally.firstRunSeconds(t0),
          done,
          done < tasks ? "-" : tally.delivery());
    }
  }
}
