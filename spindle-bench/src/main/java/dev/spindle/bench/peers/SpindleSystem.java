package dev.spindle.bench.peers;

import dev.spindle.bench.FinishedAttempts;
import dev.spindle.core.Spindle;
import dev.spindle.core.TaskRequest;
import dev.spindle.core.store.TaskStore;
import dev.spindle.store.postgres.PostgresStoreOptions;
import dev.spindle.store.postgres.PostgresTaskStore;
import dev.spindle.store.sqlite.SqliteTaskStore;
import java.util.ArrayList;
import java.util.List;

/** Spindle with its default options but the pool size and worker count. */
final class SpindleSystem implements PeerSystem {
  private static final int SUBMIT_BATCH = 1000;

  @Override
  public String id() {
    return "spindle";
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
  public boolean supports(StoreKind store, Workload workload) {
    return true;
  }

  @Override
  public Running start(Stage stage, int workers, int pool, Probe probe) {
    TaskStore store =
        switch (stage.kind()) {
          case POSTGRES ->
              PostgresTaskStore.open(
                  PostgresStoreOptions.builder()
                      .url(stage.pgUrl())
                      .schema(stage.schema())
                      .poolSize(pool)
                      .build());
          case SQLITE -> SqliteTaskStore.open(stage.sqliteFile());
        };
    FinishedAttempts finished = new FinishedAttempts();
    Spindle spindle =
        Spindle.builder()
            .store(store)
            .listener(finished)
            .queue("default", workers)
            .handler(
                "noop",
                Integer.class,
                (task, ctx) -> {
                  probe.run(task);
                  return null;
                })
            .build()
            .start();
    return new Running() {
      @Override
      public void submitBulk(int tasks) {
        List<TaskRequest> chunk = new ArrayList<>(SUBMIT_BATCH);
        for (int i = 0; i < tasks; i++) {
          chunk.add(TaskRequest.of("noop", i));
          if (chunk.size() == SUBMIT_BATCH || i == tasks - 1) {
            spindle.submitAll(chunk);
            chunk.clear();
          }
        }
      }

      @Override
      public void submit(int task) {
        spindle.submit(TaskRequest.of("noop", task));
      }

      @Override
      public int completed() {
        return (int) finished.count();
      }

      @Override
      public void close() {
        spindle.close();
      }
    };
  }
}
