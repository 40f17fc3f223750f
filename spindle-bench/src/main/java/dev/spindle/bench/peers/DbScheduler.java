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
 * db-scheduler on PostgreSQL: one-time tasks whose instance id is the task number, scheduled with
 * {@code scheduleBatch} in bulk; its table created from the PostgreSQL DDL its repository documents
 * ({@code postgresql_tables.sql}).
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

  private final String id;
  private final String settings;
  private final UnaryOperator<SchedulerBuilder> tuning;

  private DbScheduler(String id, String settings, UnaryOperator<SchedulerBuilder> tuning) {
    this.id = id;
    this.settings = settings;
    this.tuning = tuning;
  }

  /** Every setting at db-scheduler's default but the thread count. */
  static DbScheduler defaults() {
    return new DbScheduler(
        "db-scheduler", "defaults (fetch-and-lock-on-execute, poll 10 s)", b -> b);
  }

  /**
   * The settings db-scheduler documents for high throughput and low latency: lock-and-fetch polling
   * ({@code SELECT … FOR UPDATE SKIP LOCKED}, marking due executions picked in one go) with the
   * fractions of the thread count its own compatibility tests use (0.5, 1.0); immediate execution,
   * which checks for due work as soon as this scheduler schedules some; polling every 500 ms.
   */
  static DbScheduler tuned() {
    return new DbScheduler(
        "db-scheduler-tuned",
        "lock-and-fetch (0.5, 1.0), immediate, poll 0.5 s",
        b ->
            b.pollUsingLockAndFetch(0.5, 1.0)
                .enableImmediateExecution()
                .pollingInterval(Duration.ofMillis(500)));
  }

  @Override
  public String id() {
    return id;
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
  public boolean supports(StoreKind store, Workload workload) {
    return store == StoreKind.POSTGRES;
  }

  @Override
  public Running start(Stage stage, int workers, int poolSize, Probe probe) throws SQLException {
    OneTimeTask<Void> noop =
        Tasks.oneTime("noop")
            .execute((instance, ctx) -> probe.run(Integer.parseInt(instance.getId())));
    HikariDataSource pool = stage.pool("db-scheduler", poolSize);
    createTable(pool);
    Scheduler scheduler = tuning.apply(Scheduler.create(pool, noop).threads(workers)).build();
    scheduler.start();
    // A one-time task's row is deleted in the transaction that completes it.
    String remaining = "SELECT count(*) FROM " + stage.table("scheduled_tasks");
    return new Running() {
      private int submitted;

      @Override
      public void submitBulk(int tasks) {
        List<TaskInstance<?>> instances = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++) {
          instances.add(noop.instance(Integer.toString(i)));
        }
        scheduler.scheduleBatch(instances, Instant.now());
        submitted = tasks;
      }

      @Override
      public void submit(int task) {
        scheduler.schedule(noop.instance(Integer.toString(task)), Instant.now());
        synchronized (this) {
          submitted++;
        }
      }

      @Override
      public int completed() throws SQLException {
        int known;
        synchronized (this) {
          known = submitted;
        }
        return known - stage.count(remaining);
      }

      @Override
      public void close() {
        scheduler.stop();
        pool.close();
      }
    };
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
