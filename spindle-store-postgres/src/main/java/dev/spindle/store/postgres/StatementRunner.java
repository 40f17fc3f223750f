package dev.spindle.store.postgres;

import dev.spindle.core.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs the store's statements on a borrowed connection and turns failures into {@link
 * StoreException}s that say what was being done, where.
 *
 * <p>A deadlock or serialization failure aborts the whole transaction without writing anything, so
 * the work is run again, up to {@value #ATTEMPTS} times. Statements lock rows in id order where
 * they can, which makes deadlocks rare, not impossible: a plan may visit rows in another order.
 */
final class StatementRunner {
  private static final int ATTEMPTS = 3;
  private static final String DEADLOCK = "40P01";
  private static final String SERIALIZATION_FAILURE = "40001";

  /** Work on a connection; may throw a {@link RuntimeException} to roll back and fail the call. */
  @FunctionalInterface
  interface Work<T> {
    T apply(Connection connection) throws SQLException;
  }

  private final ConnectionSource connections;
  private final PostgresStoreOptions options;
  private volatile boolean closed;

  StatementRunner(ConnectionSource connections, PostgresStoreOptions options) {
    this.connections = connections;
    this.options = options;
  }

  /** Runs work whose single statement is its own transaction. */
  <T> T autocommit(String what, Work<T> work) {
    return run(what, work, false);
  }

  /** Runs work as one transaction: committed if it returns, rolled back if it throws. */
  <T> T transaction(String what, Work<T> work) {
    return run(what, work, true);
  }

  private <T> T run(String what, Work<T> work, boolean transaction) {
    for (int attempt = 1; ; attempt++) {
      checkOpen(what);
      try (Connection c = connections.borrow()) {
        // A caller's pool may hand out connections outside auto-commit; the store's single
        // statements must commit on their own, so set the mode and put it back afterwards.
        boolean autoCommit = c.getAutoCommit();
        try {
          if (transaction) {
            return inTransaction(c, work);
          }
          if (!autoCommit) {
            c.setAutoCommit(true);
          }
          return work.apply(c);
        } finally {
          if (c.getAutoCommit() != autoCommit) {
            c.setAutoCommit(autoCommit);
          }
        }
      } catch (SQLException e) {
        if (attempt < ATTEMPTS && isRetryable(e)) {
          LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(1_000_000, 5_000_000));
          continue;
        }
        throw failure(what, e);
      }
    }
  }

  private static <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
    c.setAutoCommit(false);
    try {
      T result = work.apply(c);
      c.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException rollbackFailure) {
        e.addSuppressed(rollbackFailure);
      }
      throw e;
    }
  }

  static boolean isRetryable(SQLException e) {
    return DEADLOCK.equals(e.getSQLState()) || SERIALIZATION_FAILURE.equals(e.getSQLState());
  }

  private void checkOpen(String what) {
    if (closed) {
      throw new StoreException(
          "cannot "
              + what
              + ": the PostgreSQL store (schema '"
              + options.schema()
              + "' at "
              + options.describe()
              + ") is closed; open it again");
    }
  }

  StoreException failure(String what, SQLException e) {
    String state = e.getSQLState();
    if (e instanceof SQLTransientConnectionException) {
      return new StoreException(
          "could not "
              + what
              + ": no connection to PostgreSQL at "
              + options.describe()
              + " within "
              + options.connectTimeout().toMillis()
              + " ms (the server is unreachable, or every pooled connection is busy): "
              + e.getMessage(),
          e);
    }
    if (state != null && state.startsWith("08")) {
      return new StoreException(
          "could not "
              + what
              + ": lost the connection to PostgreSQL at "
              + options.describe()
              + ": "
              + e.getMessage(),
          e);
    }
    return new StoreException(
        "could not "
            + what
            + " in schema '"
            + options.schema()
            + "' at "
            + options.describe()
            + ": "
            + e.getMessage(),
        e);
  }

  void close() {
    closed = true;
  }
}
