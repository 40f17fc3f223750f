package dev.spindle.store.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elects the one node that runs maintenance (rescue, expiry, promotion, purge) for a schema: the
 * node whose dedicated connection holds a session-level advisory lock. The lock lives exactly as
 * long as that session, so when the leader dies or its connection drops, the server releases it and
 * the next node to ask, on its next maintenance pass, takes over.
 *
 * <p>Leadership saves work; it is not needed for correctness. Every maintenance statement locks its
 * rows with SKIP LOCKED and is fenced on lease tokens, so two nodes that both believe they lead for
 * a moment (a leader whose connection died but that has not noticed yet) do no harm.
 */
final class MaintenanceElection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MaintenanceElection.class);
  private static final int VALIDATION_TIMEOUT_SECONDS = 5;

  /**
   * A leader re-checks its connection at most this often: one maintenance pass makes four calls in
   * a row, and one round trip per pass is enough to notice a lost session within a pass.
   */
  private static final long REVALIDATE_AFTER_NANOS = 500_000_000L;

  private final ConnectionSource connections;
  private final PostgresQueries queries;
  private final StoreSchema schema;
  private Connection connection;
  private boolean leading;
  private long validatedAt;
  private boolean closed;

  MaintenanceElection(ConnectionSource connections, PostgresQueries queries, StoreSchema schema) {
    this.connections = connections;
    this.queries = queries;
    this.schema = schema;
  }

  /**
   * True if this store instance runs maintenance now: it holds the lock, on a connection that was
   * alive half a second ago, or it just acquired it. Costs at most one round trip on the election
   * connection.
   */
  synchronized boolean isLeader() throws SQLException {
    if (closed) {
      return false;
    }
    if (leading) {
      long now = System.nanoTime();
      if (now - validatedAt < REVALIDATE_AFTER_NANOS) {
        return true;
      }
      if (connection.isValid(VALIDATION_TIMEOUT_SECONDS)) {
        validatedAt = now;
        return true;
      }
      log.warn(
          "lost the maintenance lock of schema '{}': its connection dropped; another node may"
              + " take over",
          schema.name());
      leading = false; // the session is gone: nothing to release
      dropConnection();
    }
    try {
      if (connection == null) {
        connection = connections.dedicated("spindle-maintenance");
      }
      try (NamedSql.Bound st = queries.get("try_lead_maintenance").prepare(connection)) {
        st.set("lock_class", StoreSchema.LOCK_CLASS).set("lock_name", schema.maintenanceLock());
        try (ResultSet rs = st.statement().executeQuery()) {
          rs.next();
          leading = rs.getBoolean(1);
        }
      }
    } catch (SQLException e) {
      leading = false;
      dropConnection();
      throw e;
    }
    if (leading) {
      validatedAt = System.nanoTime();
      log.info("this node now runs maintenance of schema '{}'", schema.name());
    }
    return leading;
  }

  /** The server process holding (or trying for) the lock, for tests that cut it off. */
  synchronized int backendPid() throws SQLException {
    if (connection == null) {
      return -1;
    }
    try (NamedSql.Bound st = queries.get("backend_pid").prepare(connection);
        ResultSet rs = st.statement().executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private void dropConnection() {
    if (leading && connection != null) {
      // A connection from a caller's pool outlives close(): release the lock explicitly.
      try (NamedSql.Bound st = queries.get("release_maintenance").prepare(connection)) {
        st.set("lock_class", StoreSchema.LOCK_CLASS).set("lock_name", schema.maintenanceLock());
        st.statement().execute();
      } catch (SQLException e) {
        // The session is gone or going; the server releases the lock with it.
      }
    }
    ConnectionSource.closeQuietly(connection);
    connection = null;
    leading = false;
  }

  /** Ends the session, which releases the lock at once. Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    dropConnection();
  }
}
