package dev.spindle.store.sqlite;

import dev.spindle.core.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/** Opens the writer and reader connections with the PRAGMAs the store depends on. */
final class SqliteConnections {
  private SqliteConnections() {}

  static Connection openWriter(Path dbFile, SqliteStoreOptions options) {
    SQLiteConfig config = baseConfig(options);
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // NORMAL whatever the durability: SQLite then syncs the WAL only around checkpoints, which
    // keeps the file consistent; with Durability.FULL the WalSyncer syncs every commit before its
    // callers are answered, off this connection's thread.
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    // 16 MiB of page cache keeps the hot indexes of the task table in memory.
    config.setCacheSize(-16_384);
    // Bounds the WAL file left behind after a burst, when the WAL restarts.
    config.setJournalSizeLimit(64 * 1024 * 1024);
    // Ids come from the writer's own counter; left on, the driver would prepare and run a
    // `SELECT last_insert_rowid()` after every single-row INSERT (the counters' upsert, twice per
    // commit).
    config.setGetGeneratedKeys(false);
    // Without SQLite's own lock on the connection: the driver already runs every call on a
    // connection under that connection's Java monitor, and only the writer thread uses this one.
    // Mutex lock and unlock were 5 % of the writer thread's CPU samples (async-profiler), around
    // each of the ~20 SQLite calls per task; 200,000 tasks in bulk ran 3-7 % faster without it
    // (three alternating pairs).
    config.setOpenMode(SQLiteOpenMode.NOMUTEX);
    Connection connection = open(dbFile, config, "writer");
    try (Statement st = connection.createStatement()) {
      // The writer never checkpoints on its own: a checkpoint inside a commit (SQLite's default,
      // every 1000 pages) held every queued write up for its copy and fsync of the database file,
      // which made the p99 submit-to-start latency. WalCheckpointer does it on its own connection.
      st.execute("PRAGMA wal_autocheckpoint=0");
      // The writer runs its own transactions (BEGIN IMMEDIATE ... COMMIT). In the driver's
      // auto-commit mode every statement inside one was followed by the driver's own "begin;",
      // which fails there (a transaction is open) and so tells the driver not to commit: 11 % of
      // the writer thread's CPU time under one task per submit (async-profiler). Out of auto-commit
      // mode the driver leaves transactions to the writer. Switching runs the driver's "begin;",
      // rolled back at once: statements outside the writer's transactions still commit on their
      // own, as SQLite does outside BEGIN.
      connection.setAutoCommit(false);
      st.execute("ROLLBACK");
      String mode = st.executeQuery("PRAGMA journal_mode").getString(1);
      if (!"wal".equalsIgnoreCase(mode)) {
        throw new StoreException(
            "SQLite store "
                + dbFile
                + " could not switch to WAL journal mode (it is '"
                + mode
                + "'); put the file on a local file system that supports shared memory");
      }
    } catch (SQLException e) {
      closeQuietly(connection);
      throw new StoreException("could not check the journal mode of SQLite store " + dbFile, e);
    } catch (RuntimeException e) {
      closeQuietly(connection);
      throw e;
    }
    return connection;
  }

  /**
   * The connection that copies the WAL back into the database file. It writes no rows, but a
   * checkpoint writes the file, so it is not read-only; with Durability.FULL it syncs the WAL
   * before copying from it, so a checkpoint never copies a commit that is not yet on disk.
   */
  static Connection openCheckpointer(Path dbFile, SqliteStoreOptions options) {
    SQLiteConfig config = baseConfig(options);
    config.setSynchronous(synchronous(options));
    config.setCacheSize(-1_024);
    return open(dbFile, config, "checkpoint");
  }

  private static SQLiteConfig.SynchronousMode synchronous(SqliteStoreOptions options) {
    return options.durability() == SqliteStoreOptions.Durability.FULL
        ? SQLiteConfig.SynchronousMode.FULL
        : SQLiteConfig.SynchronousMode.NORMAL;
  }

  static Connection openReader(Path dbFile, SqliteStoreOptions options) {
    SQLiteConfig config = baseConfig(options);
    config.setReadOnly(true);
    config.setCacheSize(-4_096);
    return open(dbFile, config, "reader");
  }

  private static SQLiteConfig baseConfig(SqliteStoreOptions options) {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout((int) options.busyTimeout().toMillis());
    return config;
  }

  private static Connection open(Path dbFile, SQLiteConfig config, String role) {
    try {
      return config.createConnection("jdbc:sqlite:" + dbFile);
    } catch (SQLException e) {
      throw new StoreException(
          "could not open a "
              + role
              + " connection to SQLite store "
              + dbFile
              + ": "
              + e.getMessage()
              + "; check that the file is a Spindle SQLite database and the directory is"
              + " writable",
          e);
    }
  }

  static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      // Closing is best effort once the store has failed or stopped.
    }
  }
}
