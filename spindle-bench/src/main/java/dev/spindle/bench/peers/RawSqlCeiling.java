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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.LongStream;

/**
 * The ceiling: the least SQL a durable queue must run per task, in batches, with no engine around
 * it. A task is a row (queue, priority, run_at, payload) in a table with a partial index on the
 * ready rows in claim order. In bulk its lifecycle is insert (batches of {@value #BATCH}), claim
 * (an UPDATE marking up to {@value #BATCH} ready rows in priority order, {@code FOR UPDATE SKIP
 * LOCKED} on PostgreSQL) and delete; the submitting thread has one connection and {@code pool - 1}
 * claimers one each on PostgreSQL. For one task per submit (the steady workload) it is the floor of
 * submit-to-start latency: group-committed inserts of rows already claimed, each task started as
 * soon as its commit returns, and batched deletes (see {@link Steady}). No leases, attempts,
 * history, notifications or results: what Spindle does beyond this is what it costs over the
 * ceiling. SQLite has one writer, so all of the ceiling's threads there share one connection,
 * taking turns.
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
  public String settings(Workload workload) {
    return workload == Workload.STEADY
        ? "group commit of claimed rows, start on commit, batched delete"
        : settings();
  }

  @Override
  public boolean supports(StoreKind store, Workload workload) {
    return workload == Workload.BULK || workload == Workload.STEADY;
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
    ReentrantLock turns = shared ? new ReentrantLock(true) : null;
    Connection submitter = connection(pool);
    AtomicInteger completed = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    // Each workload starts its own threads on first use: idle claimers polling every millisecond
    // would cost the steady workload CPU that no durable queue needs.
    Runnable startClaimers =
        () ->
            startEach(
                threads,
                shared ? 1 : Math.max(1, poolSize - 1),
                "ceiling-claimer-",
                () -> {
                  Connection own = shared ? submitter : connection(pool);
                  return () -> claimLoop(dialect, own, turns, probe, completed);
                });
    return new Running() {
      private boolean claiming;
      private Steady steady;

      @Override
      public void submitBulk(int tasks) throws SQLException {
        synchronized (this) {
          if (!claiming) {
            claiming = true;
            startClaimers.run();
          }
        }
        for (int from = 0; from < tasks; from += BATCH) {
          int to = Math.min(tasks, from + BATCH);
          lock(turns);
          try {
            dialect.insert(submitter, from, to);
            submitter.commit();
          } finally {
            unlock(turns);
          }
        }
      }

      @Override
      public void submit(int task) throws InterruptedException {
        Steady path;
        synchronized (this) {
          if (steady == null) {
            Connection writer = shared ? submitter : connection(pool);
            Connection deleter = shared ? submitter : connection(pool);
            steady = new Steady(dialect, writer, deleter, turns, probe, completed);
            steady.start(threads);
          }
          path = steady;
        }
        path.submit(task);
      }

      @Override
      public int completed() {
        return completed.get();
      }

      @Override
      public void close() throws SQLException {
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
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

  /** Starts {@code count} platform threads named {@code name} and a number, each with a body. */
  private static void startEach(
      List<Thread> threads, int count, String name, Supplier<Runnable> body) {
    for (int i = 0; i < count; i++) {
      threads.add(Thread.ofPlatform().name(name + i).start(body.get()));
    }
  }

  private static Connection connection(HikariDataSource pool) {
    try {
      Connection c = pool.getConnection();
      c.setAutoCommit(false);
      return c;
    } catch (SQLException e) {
      throw new IllegalStateException("the ceiling could not get a connection", e);
    }
  }

  private static void lock(ReentrantLock turns) {
    if (turns != null) {
      turns.lock();
    }
  }

  private static void unlock(ReentrantLock turns) {
    if (turns != null) {
      turns.unlock();
    }
  }

  /**
   * The least a durable queue does for one task per submit: a writer gathers the submits waiting
   * for it into one insert of rows already claimed and one commit (group commit), answers the
   * submits, starts the tasks right there, and a deleter removes finished rows in batches. No claim
   * query, no hand-off to workers, no leases or history: the floor of submit-to-start latency on
   * this store and machine, since a start must wait for its task's commit.
   */
  private static final class Steady {
    private record Pending(int task, CompletableFuture<Void> committed) {}

    private final LinkedBlockingQueue<Pending> submits = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<long[]> finished = new LinkedBlockingQueue<>();
    private final Dialect dialect;
    private final Connection writer;
    private final Connection deleter;
    private final ReentrantLock turns;
    private final Probe probe;
    private final AtomicInteger completed;

    /** Why the writer stopped, once it has; later submits fail with it instead of waiting. */
    private volatile Exception failure;

    Steady(
        Dialect dialect,
        Connection writer,
        Connection deleter,
        ReentrantLock turns,
        Probe probe,
        AtomicInteger completed) {
      this.dialect = dialect;
      this.writer = writer;
      this.deleter = deleter;
      this.turns = turns;
      this.probe = probe;
      this.completed = completed;
    }

    void start(List<Thread> threads) {
      startEach(threads, 1, "ceiling-writer-", () -> this::writeLoop);
      startEach(threads, 1, "ceiling-deleter-", () -> this::deleteLoop);
    }

    /** Returns once the task is committed, as a durable submit does. */
    void submit(int task) throws InterruptedException {
      Pending pending = new Pending(task, new CompletableFuture<>());
      submits.add(pending);
      // The writer sets the failure before it fails what is queued, so a submit added meanwhile
      // is failed by one or the other.
      if (failure != null) {
        pending.committed().completeExceptionally(failure);
      }
      try {
        pending.committed().get();
      } catch (ExecutionException e) {
        throw new IllegalStateException("the ceiling's write failed", e.getCause());
      }
    }

    private void writeLoop() {
      List<Pending> batch = new ArrayList<>();
      try {
        while (true) {
          batch.add(submits.take());
          submits.drainTo(batch, BATCH - 1);
          int[] tasks = new int[batch.size()];
          for (int i = 0; i < tasks.length; i++) {
            tasks[i] = batch.get(i).task();
          }
          long[] rows;
          lock(turns);
          try {
            rows = dialect.insertClaimed(writer, tasks);
            writer.commit();
          } finally {
            unlock(turns);
          }
          for (long row : rows) {
            probe.run((int) (row >>> 32));
          }
          batch.forEach(p -> p.committed().complete(null));
          batch.clear();
          finished.add(rows);
        }
      } catch (InterruptedException e) {
        // Closed.
      } catch (SQLException | RuntimeException e) {
        failure = e;
        batch.forEach(p -> p.committed().completeExceptionally(e));
        for (Pending p = submits.poll(); p != null; p = submits.poll()) {
          p.committed().completeExceptionally(e);
        }
      }
    }

    private void deleteLoop() {
      List<long[]> batch = new ArrayList<>();
      try {
        while (true) {
          batch.add(finished.take());
          finished.drainTo(batch);
          long[] rows = batch.stream().flatMapToLong(LongStream::of).toArray();
          batch.clear();
          lock(turns);
          try {
            dialect.delete(deleter, rows);
            deleter.commit();
          } finally {
            unlock(turns);
          }
          completed.addAndGet(rows.length);
        }
      } catch (InterruptedException e) {
        // Closed.
      } catch (SQLException e) {
        if (!Thread.currentThread().isInterrupted()) {
          throw new IllegalStateException("ceiling deleter failed", e);
        }
      }
    }
  }

  private static void claimLoop(
      Dialect dialect, Connection c, ReentrantLock turns, Probe probe, AtomicInteger completed) {
    while (!Thread.currentThread().isInterrupted()) {
      int n;
      lock(turns);
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
        unlock(turns);
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

    /** Inserts one row per task, already claimed; returns them packed as claims are. */
    long[] insertClaimed(Connection c, int[] tasks) throws SQLException;

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
    public long[] insertClaimed(Connection c, int[] tasks) throws SQLException {
      Integer[] payloads = Arrays.stream(tasks).boxed().toArray(Integer[]::new);
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO ceiling_tasks (queue, priority, run_at, claimed, payload)"
                  + " SELECT 'default', 0, now(), true, p FROM unnest(?) AS p"
                  + " RETURNING id, payload")) {
        ps.setArray(1, c.createArrayOf("integer", payloads));
        return packed(ps, tasks.length);
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
        return packed(ps, BATCH);
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
    public long[] insertClaimed(Connection c, int[] tasks) throws SQLException {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO ceiling_tasks (queue, priority, run_at, claimed, payload)"
                  + " SELECT 'default', 0, ?, 1, value FROM json_each(?) RETURNING id, payload")) {
        ps.setLong(1, System.currentTimeMillis());
        ps.setString(2, Arrays.toString(tasks));
        return packed(ps, tasks.length);
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
        return packed(ps, BATCH);
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

  private static long[] packed(PreparedStatement claim, int most) throws SQLException {
    long[] rows = new long[most];
    int n = 0;
    try (ResultSet rs = claim.executeQuery()) {
      while (rs.next()) {
        rows[n++] = ((long) rs.getInt(2) << 32) | rs.getLong(1);
      }
    }
    return Arrays.copyOf(rows, n);
  }
}
