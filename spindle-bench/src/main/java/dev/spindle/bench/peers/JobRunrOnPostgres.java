package dev.spindle.bench.peers;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.stream.IntStream;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;

/**
 * JobRunr on PostgreSQL with its defaults but the worker count; jobs are enqueued as a stream of
 * lambdas calling a static no-op, which JobRunr saves in batches.
 */
final class JobRunrOnPostgres implements PeerSystem {
  private final PeerDatabase db;

  JobRunrOnPostgres(PeerDatabase db) {
    this.db = db;
  }

  @Override
  public String name() {
    return "JobRunr";
  }

  @Override
  public String settings() {
    return "defaults (poll "
        + BackgroundJobServerConfiguration.DEFAULT_POLL_INTERVAL.toSeconds()
        + " s), enqueue(Stream)";
  }

  @Override
  public PeerResult run(String schema, int tasks, int workers, Duration timeout) throws Exception {
    RunTally tally = RunTally.begin(tasks);
    try (HikariDataSource pool = db.pool(schema, "jobrunr")) {
      JobScheduler scheduler =
          JobRunr.configure()
              .useStorageProvider(new PostgresStorageProvider(pool))
              .useBackgroundJobServer(
                  BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
                      .andWorkerCount(workers))
              .initialize()
              .getJobScheduler();
      BackgroundJobServer server = JobRunr.getBackgroundJobServer();
      try {
        long t0 = System.nanoTime();
        scheduler.enqueue(IntStream.range(0, tasks).boxed(), task -> RunTally.ranStatic(task));
        long submitted = System.nanoTime();
        String succeeded =
            "SELECT count(*) FROM " + schema + ".jobrunr_jobs WHERE state = 'SUCCEEDED'";
        int done = Drain.await(() -> db.count(succeeded), tasks, t0, timeout);
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
      } finally {
        server.stop();
        JobRunr.destroy();
      }
    }
  }
}
