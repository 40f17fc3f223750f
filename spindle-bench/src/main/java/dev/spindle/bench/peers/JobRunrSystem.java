package dev.spindle.bench.peers;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.stream.IntStream;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.storage.sql.sqlite.SqLiteStorageProvider;

/**
 * JobRunr (open-source edition) with its SQL storage: jobs are lambdas calling {@link
 * Probe#runStatic} with the task number, enqueued as a stream in bulk (JobRunr saves them in
 * batches) or one by one. On Java 21 and later its workers are virtual threads.
 */
final class JobRunrSystem implements PeerSystem {
  private final String id;
  private final Duration pollInterval;

  private JobRunrSystem(String id, Duration pollInterval) {
    this.id = id;
    this.pollInterval = pollInterval;
  }

  /** Every setting at JobRunr's default but the worker count. */
  static JobRunrSystem defaults() {
    return new JobRunrSystem("jobrunr", BackgroundJobServerConfiguration.DEFAULT_POLL_INTERVAL);
  }

  /**
   * The shortest poll interval JobRunr accepts on a SQL database (5 s; it refuses less, "otherwise
   * it will cause too much load"), which is what its documentation offers for throughput and
   * latency besides the worker count.
   */
  static JobRunrSystem tuned() {
    return new JobRunrSystem("jobrunr-tuned", Duration.ofSeconds(5));
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String name() {
    return "JobRunr";
  }

  @Override
  public String settings() {
    String poll = "poll " + pollInterval.toSeconds() + " s";
    return (pollInterval.equals(BackgroundJobServerConfiguration.DEFAULT_POLL_INTERVAL)
            ? "defaults (" + poll + ")"
            : "shortest poll (" + pollInterval.toSeconds() + " s)")
        + ", enqueue(Stream)";
  }

  @Override
  public boolean supports(StoreKind store, Workload workload) {
    return true;
  }

  @Override
  public Running start(Stage stage, int workers, int poolSize, Probe probe) {
    // SQLite has one writer; with more connections JobRunr's workers fail on SQLITE_BUSY (a read
    // transaction upgraded to a write gets no busy wait), so on SQLite it gets one connection.
    HikariDataSource pool = stage.pool("jobrunr", stage.kind() == StoreKind.SQLITE ? 1 : poolSize);
    StorageProvider storage =
        switch (stage.kind()) {
          case POSTGRES -> new PostgresStorageProvider(pool);
          case SQLITE -> new SqLiteStorageProvider(pool);
        };
    JobScheduler scheduler =
        JobRunr.configure()
            .useStorageProvider(storage)
            .useBackgroundJobServer(
                BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
                    .andWorkerCount(workers)
                    .andPollInterval(pollInterval))
            .initialize()
            .getJobScheduler();
    String succeeded =
        "SELECT count(*) FROM " + stage.table("jobrunr_jobs") + " WHERE state = 'SUCCEEDED'";
    return new Running() {
      @Override
      public void submitBulk(int tasks) {
        scheduler.enqueue(IntStream.range(0, tasks).boxed(), task -> Probe.runStatic(task));
      }

      @Override
      public void submit(int task) {
        scheduler.enqueue(() -> Probe.runStatic(task));
      }

      @Override
      public int completed() throws Exception {
        return stage.count(succeeded);
      }

      @Override
      public void close() {
        JobRunr.getBackgroundJobServer().stop();
        JobRunr.destroy();
        pool.close();
      }
    };
  }
}
