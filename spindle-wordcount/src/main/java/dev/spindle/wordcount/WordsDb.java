package dev.spindle.wordcount;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The words database, open for writing: WAL journal, a busy timeout so that two merges into the
 * same file take turns, and the schema created if missing.
 */
final class WordsDb implements AutoCloseable {
  static final int SCHEMA_VERSION = 1;
  private static final int BUSY_TIMEOUT_MILLIS = 30_000;

  private final Path file;
  private final Connection connection;

  private WordsDb(Path file, Connection connection) {
    this.file = file;
    this.connection = connection;
  }

  static WordsDb open(Path file) {
    Path db = file.toAbsolutePath().normalize();
    try {
      if (db.getParent() != null) {
        Files.createDirectories(db.getParent());
      }
    } catch (IOException e) {
      throw new WordsDbException("could not create the directory of words database " + db, e);
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    // BEGIN IMMEDIATE: a second merge into the same file waits for the write lock up front (busy
    // timeout) instead of failing at its first write after reading a snapshot it cannot upgrade.
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    config.setCacheSize(-65_536); // 64 MiB: recomputing the totals sorts every file_words row
    Connection c = connect(db, config);
    try {
      migrate(db, c);
      return new WordsDb(db, c);
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  static Connection connect(Path db, SQLiteConfig config) {
    try {
      return config.createConnection("jdbc:sqlite:" + db);
    } catch (SQLException e) {
      throw failure(db, "could not open words database " + db, e);
    }
  }

  /** A {@link NotAWordsDbException} when the file is not a SQLite database at all. */
  static WordsDbException failure(Path db, String what, SQLException e) {
    if (e instanceof SQLiteException s && s.getResultCode() == SQLiteErrorCode.SQLITE_NOTADB) {
      return new NotAWordsDbException(
          what + ": the file is not a SQLite database; name a new file or a words database", e);
    }
    return new WordsDbException(what + ": " + e.getMessage(), e);
  }

  private static void migrate(Path db, Connection c) {
    try (Statement st = c.createStatement()) {
      int version = st.executeQuery("PRAGMA user_version").getInt(1);
      if (version > SCHEMA_VERSION) {
        throw new NotAWordsDbException(
            "words database "
                + db
                + " has schema version "
                + version
                + ", newer than this Spindle understands ("
                + SCHEMA_VERSION
                + "); use a newer Spindle or another file",
            null);
      }
      c.setAutoCommit(false);
      for (String sql : WordsSql.SCHEMA) {
        st.execute(sql);
      }
      st.execute("PRAGMA user_version = " + SCHEMA_VERSION);
      c.commit();
    } catch (SQLException e) {
      throw failure(db, "could not prepare words database " + db, e);
    }
  }

  /** Starts the one transaction a merge writes in. */
  WordsMerge begin(long taskId) {
    return new WordsMerge(file, connection, taskId);
  }

  @Override
  public void close() {
    closeQuietly(connection);
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      // nothing left to do with a connection that fails to close
    }
  }
}
