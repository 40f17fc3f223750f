package dev.spindle.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The writer connection, its cached statements and the counters only the writer thread touches.
 *
 * <p>Task ids and lease tokens come from memory, not from SQLite: the exclusive file lock
 * guarantees no other writer, and the high-water marks are saved in {@code spindle_meta} in the
 * same transaction as the rows that use them, so they keep increasing across restarts.
 */
final class WriterSession implements AutoCloseable {
  private static final String TASK_ID = "task_id";
  private static final String LEASE_TOKEN = "lease_token";

  private final Connection connection;
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private long lastTaskId;
  private long savedTaskId;
  private long lastLeaseToken;
  private long savedLeaseToken;
  private final Set<String> dueQueues = new LinkedHashSet<>();
  private final Map<String, Long> noDueTaskAt = new HashMap<>();
  private final LeaseTable leases = new LeaseTable();
  private final FinishedList finished = new FinishedList();

  private WriterSession(Connection connection) {
    this.connection = connection;
  }

  static WriterSession start(Connection connection) throws SQLException {
    WriterSession session = new WriterSession(connection);
    long maxId = session.queryLong("max_task_id");
    session.lastTaskId = Math.max(maxId, session.loadCounter(TASK_ID));
    session.savedTaskId = session.lastTaskId;
    session.lastLeaseToken = session.loadCounter(LEASE_TOKEN);
    session.savedLeaseToken = session.lastLeaseToken;
    session.loadLeases();
    return session;
  }

  /** A prepared statement of the named query, prepared once per store. */
  PreparedStatement statement(String name) throws SQLException {
    PreparedStatement ps = statements.get(name);
    if (ps == null) {
      ps = connection.prepareStatement(SqliteQueries.sql(name));
      statements.put(name, ps);
    }
    return ps;
  }

  /** A statement of fixed SQL that is not a named query (transaction control). */
  PreparedStatement control(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = connection.prepareStatement(sql);
      statements.put(sql, ps);
    }
    return ps;
  }

  /**
   * Runs the rows added to the statement as one batch. The batch is cleared even on failure, so a
   * statement cached for the next op never carries rows of an op that was rolled back.
   */
  static int[] executeBatch(PreparedStatement ps) throws SQLException {
    try {
      return ps.executeBatch();
    } finally {
      ps.clearBatch();
    }
  }

  long nextTaskId() {
    return ++lastTaskId;
  }

  /** What an op under a savepoint may change in the session, taken before it runs. */
  record Savepoint(long lastTaskId, int leases, int finished) {}

  Savepoint savepoint() {
    return new Savepoint(lastTaskId, leases.mark(), finished.mark());
  }

  /**
   * The op since {@code savepoint} was rolled back to it: ids it used are given back so ids stay
   * dense, leases it ended still hold, and the tasks it finished are not final.
   */
  void rollBackTo(Savepoint savepoint) {
    forgetDueProbes();
    lastTaskId = savepoint.lastTaskId();
    leases.rollBackTo(savepoint.leases());
    finished.rollBackTo(savepoint.finished());
  }

  long nextLeaseToken() {
    return ++lastLeaseToken;
  }

  /** Gives back the token of a claim that leased nothing, so empty polls write no meta row. */
  void returnUnusedLeaseToken(long token) {
    if (token == lastLeaseToken) {
      lastLeaseToken--;
    }
  }

  /** The leases of RUNNING tasks. */
  LeaseTable leases() {
    return leases;
  }

  /** The tasks the transaction made final, listed for the purge before COMMIT. */
  FinishedList finished() {
    return finished;
  }

  /**
   * Whether a probe earlier in this transaction found no task of {@code queue} that a claim at
   * {@code millis} (epoch milliseconds) would take, with nothing since that may have made one
   * READY. Single submits arrive dozens to the millisecond, so consecutive ones in a group mostly
   * share the answer: probing for each took 13 % of the writer thread's CPU samples at 26,767
   * single submits a second.
   */
  boolean knownNoDueTask(String queue, long millis) {
    Long at = noDueTaskAt.get(queue);
    return at != null && at == millis;
  }

  /** Notes what a probe found: no task of {@code queue} claimable at {@code millis}. */
  void noDueTask(String queue, long millis) {
    noDueTaskAt.put(queue, millis);
  }

  /**
   * Forgets every probe's answer: called when the transaction may have made a task READY, before
   * every op that does not {@link WriteOp#keepsDueProbes keep them}, and when the transaction or an
   * op's savepoint ends.
   */
  void forgetDueProbes() {
    noDueTaskAt.clear();
  }

  /** Notes that the transaction makes tasks of {@code queue} claimable now. */
  void tasksDue(String queue) {
    dueQueues.add(queue);
  }

  /** Queues noted by {@link #tasksDue} since the last call; a hint, also after a rollback. */
  Set<String> takeDueQueues() {
    if (dueQueues.isEmpty()) {
      return Set.of();
    }
    Set<String> due = Set.copyOf(dueQueues);
    dueQueues.clear();
    return due;
  }

  /**
   * Saves advanced counters and the list of tasks the transaction finished; called inside the
   * transaction, just before COMMIT.
   */
  void beforeCommit() throws SQLException {
    if (lastTaskId > savedTaskId) {
      saveCounter(TASK_ID, lastTaskId);
    }
    if (lastLeaseToken > savedLeaseToken) {
      saveCounter(LEASE_TOKEN, lastLeaseToken);
    }
    if (!finished.isEmpty()) {
      PreparedStatement ps = statement("save_finished");
      ps.setLong(1, finished.latest());
      ps.setString(2, finished.json());
      ps.executeUpdate();
    }
  }

  /**
   * Called after COMMIT: what was saved is now durable, leases ended in it are gone, and the list
   * of finished tasks starts anew.
   */
  void transactionCommitted() {
    forgetDueProbes();
    savedTaskId = lastTaskId;
    savedLeaseToken = lastLeaseToken;
    leases.committed();
    finished.clear();
  }

  /**
   * Called after a rolled-back transaction. Ids restart after the last durable one; lease tokens
   * are never reused, even unsaved ones, so a token is handed out at most once in any case. Leases
   * ended in the transaction still hold, and the tasks it finished are not final.
   */
  void transactionRolledBack() {
    forgetDueProbes();
    lastTaskId = savedTaskId;
    leases.rolledBack();
    finished.clear();
  }

  /**
   * Fills the lease table from the file: the leases of RUNNING tasks, granted before an unclean
   * stop or before a clean one that left tasks running. One scan of the table on open, since no
   * index holds RUNNING rows (see {@link LeaseTable}).
   */
  private void loadLeases() throws SQLException {
    try (ResultSet rs = statement("running_leases").executeQuery()) {
      while (rs.next()) {
        leases.granted(rs.getLong(1), rs.getLong(2), rs.getLong(3));
      }
    }
  }

  private void saveCounter(String name, long value) throws SQLException {
    PreparedStatement ps = statement("save_counter");
    ps.setString(1, name);
    ps.setLong(2, value);
    ps.executeUpdate();
  }

  private long loadCounter(String name) throws SQLException {
    PreparedStatement ps = statement("load_counter");
    ps.setString(1, name);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private long queryLong(String name) throws SQLException {
    try (ResultSet rs = statement(name).executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  @Override
  public void close() {
    for (PreparedStatement ps : statements.values()) {
      try {
        ps.close();
      } catch (SQLException e) {
        // The connection is closed next, which frees the statement anyway.
      }
    }
    statements.clear();
    SqliteConnections.closeQuietly(connection);
  }
}
