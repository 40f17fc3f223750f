package dev.spindle.store.sqlite;

import dev.spindle.core.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/** Opens the writer and reader connections with the PRAGMAs the store depends on. */
final class SqliteConnections {
  private SqliteConnections() {}

  static Connection openWriter(Path dbFile, SqliteStoreOptions options) {
    SQLiteConfig config = baseConfig(options);
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(
        options.durability() == SqliteStoreOptions.Durability.FULL
            ? SQLiteConfig.SynchronousMode.FULL
            : SQLiteConfig.SynchronousMode.NORMAL);
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    // 16 MiB of page cache keeps the hot indexes of the task table in memory.
    config.setCacheSize(-16_384);
    // Bounds the WAL file left behind after a burst; checkpoints still run every 1000 pages.
    config.setJournalSizeLimit(64 * 1024 * 1024);
    Connection connection = open(dbFile, config, "writer");
    try (Statement st = connection.createStatement()) {
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
