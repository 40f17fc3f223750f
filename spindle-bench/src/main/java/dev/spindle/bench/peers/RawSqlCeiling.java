package dev.spindle.bench.peers;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The ceiling: the least SQL a durable queue must run per task, in batches, with no engine around
 * it. A task is a row (queue, priority, run_at, payload) in a table with a partial index on the
 * ready rows in claim order; its lifecycle is insert (batches of {@value #BATCH}), claim (an UPDATE
 * marking up to {@value #BATCH} ready rows in priority order, {@code FOR UPDATE SKIP LOCKED} on
 * PostgreSQL) and delete. No leases, attempts, history, notifications or results: what Spindle does
 * beyond this is what it costs over the ceiling. On PostgreSQL the submitting thread has one
 * connection and {@code pool - 1} claimers one each; SQLite has one writer, so the submitter and a
 * single claimer share one connection, taking turns.
 */
final class RawSqlCeiling implements PeerSystem {
  static final int BATCH = 1000;

  @Override
  public String id() {
    return "ceiling";
  }

  @Override
  public String name() {
    return "raw SQL";
  }

  @Override
  public String settings() {
    return "insert, claim, delete in batches of " + BATCH;
  }

  @Override
  public boolean supports(StoreKind store, Workload workload) {
    return workload == Workload.BULK;
  }

  @Override
  public Running start(Stage stage, int workers, int poolSize, Probe probe) throws SQLException {
    Dialect dialect = stage.kind() == StoreKind.POSTGRES ? new Postgres() : new Sqlite();
    HikariDataSource pool = stage.pool("ceiling", Math.max(2, poolSize));
    try (Connection c = pool.getConnection();
        Statement st = c.createStatement()) {
      for (String sql : dialect.ddl()) {
        st.execute(sql);
      }
    }
    boolean shared = stage.kind() == StoreKind.SQLITE;
    ReentrantLock turns = new ReentrantLock(true);
    Connection submitter = pool.getConnection();
    submitter.setAutoCommit(false);
    AtomicInteger completed = new AtomicInteger();
    List<Thread> claimers = new ArrayList<>();
    int claimerCount = shared ? 1 : Math.max(1, poolSize - 1);
    for (int i = 0; i < claimerCount; i++) {
      Connection own = shared ? submitter : pool.getConnection();
      own.setAutoCommit(false);
      claimers.add(
          Thread.ofPlatform()
              .name("ceiling-claimer-" + i)
              .start(() -> claimLoop(dialect, own, shared ? turns : null, probe, completed)));
    }
    return new Running() {
      @Override
      public void submitBulk(int tasks) throws SQLException {
        for (int from = 0; from < tasks; from += BATCH) {
          int to = Math.min(tasks, from + BATCH);
          if (shared) {
            turns.lock();
          }
          try {
            dialect.insert(submitter, from, to);
            submitter.commit();
          } finally {
            if (shared) {
              turns.unlock();
            }
          }
        }
      }

      @Override
      public void submit(int task) {
        throw new UnsupportedOperationException("the ceiling is measured in bulk only");
      }

      @Override
      public int completed() {
        return completed.get();
      }

      @Override
      public void close() throws SQLException {
        claimers.forEach(Thread::interrupt);
        for (Thread t : claimers) {
          try {
            t.join();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        pool.close();
      }
    };
  }

  private static void claimLoop(
      Dialect dialect, Connection c, ReentrantLock turns, Probe probe, AtomicInteger completed) {
    while (!Thread.currentThread().isInterrupted()) {
      int n;
      if (turns != null) {
        turns.lock();
      }
      try {
        long[] ids = dialect.claim(c);
        c.commit();
        // The claimed rows' payload is the task number; run the body, then delete them.
        for (long id : ids) {
          probe.run((int) (id >>> 32));
        }
        dialect.delete(c, ids);
        c.commit();
        n = ids.length;
      } catch (SQLException e) {
        if (Thread.currentThread().isInterrupted()) {
          return;
        }
        throw new IllegalStateException("ceiling claimer failed", e);
      } finally {
        if (turns != null) {
          turns.unlock();
        }
      }
      completed.addAndGet(n);
      if (n == 0) {
        LockSupport.parkNanos(1_000_000);
      }
    }
  }

  /**
   * The SQL of one store. Claims return each row as (task number &lt;&lt; 32 | row id) packed into
   * a long, the row id being below 2^32 in any run here, to keep the loop free of allocation.
   */
  private interface Dialect {
    String[] ddl();

    void insert(Connection c, int from, int to) throws SQLException;

    long[] claim(Connection c) throws SQLException;

    void delete(Connection c, long[] claimed) throws SQLException;
  }

  private static final class Postgres implements Dialect {
    @Override
    public String[] ddl() {
      return new String[] {
        """
        CREATE TABLE ceiling_tasks (
          id bigserial PRIMARY KEY,
          queue text NOT NULL,
          priority int NOT NULL,
          run_at timestamptz NOT NULL,
          claimed boolean NOT NULL DEFAULT false,
          payload int NOT NULL
        )""",
        "CREATE INDEX ceiling_ready ON ceiling_tasks (queue, priority DESC, run_at, id)"
            + " WHERE NOT claimed"
      };
    }

    @Override
    public void insert(Connection c, int from, int to) throws SQLException {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO ceiling_tasks (queue, priority, run_at, payload)"
                  + " SELECT 'default', 0, now(), p FROM generate_series(?, ?) AS p")) {
        ps.setInt(1, from);
        ps.setInt(2, to - 1);
        ps.executeUpdate();
      }
    }

    @Override
    public long[] claim(Connection c) throws SQLException {
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE ceiling_tasks SET claimed = true WHERE id IN (SELECT id FROM ceiling_tasks"
                  + " WHERE queue = 'default' AND NOT claimed AND run_at <= now()"
                  + " ORDER BY priority DESC, run_at, id LIMIT ? FOR UPDATE SKIP LOCKED)"
                  + " RETURNING id, payload")) {
        ps.setInt(1, BATCH);
        return packed(ps);
      }
    }

    @Override
    public void delete(Connection c, long[] claimed) throws SQLException {
      Long[] ids = new Long[claimed.length];
      for (int i = 0; i < claimed.length; i++) {
        ids[i] = claimed[i] & 0xFFFF_FFFFL;
      }
      try (PreparedStatement ps =
          c.prepareStatement("DELETE FROM ceiling_tasks WHERE id = ANY(?)")) {
        Array array = c.createArrayOf("bigint", ids);
        ps.setArray(1, array);
        ps.executeUpdate();
      }
    }
  }

  private static final class Sqlite implements Dialect {
    @Override
    public String[] ddl() {
      return new String[] {
        """
        CREATE TABLE ceiling_tasks (
          id INTEGER PRIMARY KEY,
          queue TEXT NOT NULL,
          priority INTEGER NOT NULL,
          run_at INTEGER NOT NULL,
          claimed INTEGER NOT NULL DEFAULT 0,
          payload INTEGER NOT NULL
        )""",
        "CREATE INDEX ceiling_ready ON ceiling_tasks (queue, priority DESC, run_at, id)"
            + " WHERE claimed = 0"
      };
    }

    @Override
    public void insert(Connection c, int from, int to) throws SQLException {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO ceiling_tasks (queue, priority, run_at, payload)"
                  + " VALUES ('default', 0, ?, ?)")) {
        long now = System.currentTimeMillis();
        for (int task = from; task < to; task++) {
          ps.setLong(1, now);
          ps.setInt(2, task);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }

    @Override
    public long[] claim(Connection c) throws SQLException {
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE ceiling_tasks SET claimed = 1 WHERE id IN (SELECT id FROM ceiling_tasks"
                  + " WHERE queue = 'default' AND claimed = 0 AND run_at <= ?"
                  + " ORDER BY priority DESC, run_at, id LIMIT ?) RETURNING id, payload")) {
        ps.setLong(1, System.currentTimeMillis());
        ps.setInt(2, BATCH);
        return packed(ps);
      }
    }

    @Override
    public void delete(Connection c, long[] claimed) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM ceiling_tasks WHERE id = ?")) {
        for (long packed : claimed) {
          ps.setLong(1, packed & 0xFFFF_FFFFL);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
  }

  private static long[] packed(PreparedStatement claim) throws SQLException {
    long[] rows = new long[BATCH];
    int n = 0;
    try (ResultSet rs = claim.executeQuery()) {
      while (rs.next()) {
        rows[n++] = ((long) rs.getInt(2) << 32) | rs.getLong(1);
      }
    }
    return Arrays.copyOf(rows, n);
  }
}
