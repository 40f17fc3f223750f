package dev.spindle.bench.peers;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * db-scheduler on PostgreSQL: one-time tasks scheduled with {@code scheduleBatch}, its table
 * created from the PostgreSQL DDL its repository documents ({@code postgresql_tables.sql}).
 */
final class DbScheduler implements PeerSystem {
  /**
   * {@code db-scheduler/src/test/resources/postgresql_tables.sql} at 16.x, migrations applied (the
   * nullable execution_time and the state column).
   */
  private static final String[] DDL = {
    """
    create table scheduled_tasks (
      task_name text not null,
      task_instance text not null,
      task_data bytea,
      execution_time timestamp with time zone,
      picked BOOLEAN not null,
      picked_by text,
      last_success timestamp with time zone,
      last_failure timestamp with time zone,
      consecutive_failures INT,
      last_heartbeat timestamp with time zone,
      version BIGINT not null,
      priority SMALLINT,
      state text,
      PRIMARY KEY (task_name, task_instance)
    )""",
    "CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time)",
    "CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat)",
    "CREATE INDEX priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc)"
  };

  private final PeerDatabase db;
  private final String settings;
  private final UnaryOperator<SchedulerBuilder> tuning;

  private DbScheduler(PeerDatabase db, String settings, UnaryOperator<SchedulerBuilder> tuning) {
    this.db = db;
    this.settings = settings;
    this.tuning = tuning;
  }

  /** Every setting at db-scheduler's default but the thread count. */
  static DbScheduler defaults(PeerDatabase db) {
    return new DbScheduler(db, "defaults (fetch-and-lock-on-execute)", b -> b);
  }

  /**
   * The polling strategy db-scheduler offers for high throughput: lock-and-fetch picks due
   * executions with {@code SELECT … FOR UPDATE SKIP LOCKED} and marks them picked in one go, with
   * the fractions of the thread count (0.5, 1.0) db-scheduler's own compatibility tests use.
   */
  static DbScheduler lockAndFetch(PeerDatabase db) {
    return new DbScheduler(db, "lock-and-fetch (0.5, 1.0)", b -> b.pollUsingLockAndFetch(0.5, 1.0));
  }

  @Override
  public String name() {
    return "db-scheduler";
  }

  @Override
  public String settings() {
    return settings;
  }

  @Override
  public PeerResult run(String schema, int tasks, int workers, Duration timeout) throws Exception {
    RunTally tally = RunTally.begin(tasks);
    OneTimeTask<Void> noop =
        Tasks.oneTime("noop")
            .execute((instance, ctx) -> tally.ran(Integer.parseInt(instance.getId())));
    try (HikariDataSource pool = db.pool(schema, "db-scheduler")) {
      createTable(pool);
      Scheduler scheduler = tuning.apply(Scheduler.create(pool, noop).threads(workers)).build();
      scheduler.start();
      try {
        long t0 = System.nanoTime();
        List<TaskInstance<?>> instances = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++) {
          instances.add(noop.instance(Integer.toString(i)));
        }
        scheduler.scheduleBatch(instances, Instant.now());
        long submitted = System.nanoTime();
        // A one-time task's row is deleted in the transaction that completes it.
        String remaining = "SELECT count(*) FROM " + schema + ".scheduled_tasks";
        int done = Drain.await(() -> tasks - db.count(remaining), tasks, t0, timeout);
        long end = System.nanoTime();
        return new PeerResult(
            name(),
            settings,
            tasks,
            (submitted - t0) / 1e9,
            (end - t0) / 1e9,
            tally.firstRunSeconds(t0),
            done,
            done < tasks ? "-" : tally.delivery());
      } finally {
        scheduler.stop();
      }
    }
  }

  private static void createTable(HikariDataSource pool) throws SQLException {
    try (Connection c = pool.getConnection();
        Statement st = c.createStatement()) {
      for (String sql : DDL) {
        st.execute(sql);
      }
    }
  }
}
