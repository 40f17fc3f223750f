package dev.spindle.bench;

import dev.spindle.store.postgres.PostgresStoreOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The PostgreSQL database a benchmark runs in, for the statements it runs itself (schema set-up and
 * clean-up, measuring) outside any store. Every run gets a fresh schema, dropped afterwards, so no
 * run sees another's tables and a benchmark leaves nothing behind.
 */
public final class BenchDatabase {
  private final String url;

  /** The database at a pgjdbc URL. */
  public BenchDatabase(String url) {
    this.url = url;
  }

  /**
   * The database named by a command's option, in pgjdbc or {@code postgresql://} form as the store
   * takes it; a URL the store would refuse is a bad option value.
   */
  public static BenchDatabase fromOption(CommandSpec spec, String option, String value) {
    try {
      return new BenchDatabase(PostgresStoreOptions.forUrl(value).jdbcUrl().orElseThrow());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          spec.commandLine(), "invalid " + option + " '" + value + "': " + e.getMessage());
    }
  }

  public String url() {
    return url;
  }

  /** A fresh schema name: {@code prefix} and 8 random hex digits. */
  public static String newSchemaName(String prefix) {
    byte[] random = new byte[4];
    ThreadLocalRandom.current().nextBytes(random);
    return prefix + HexFormat.of().formatHex(random);
  }

  /** Creates a schema with a fresh name starting with {@code prefix}; returns the name. */
  public String createSchema(String prefix) throws SQLException {
    String schema = newSchemaName(prefix);
    execute("CREATE SCHEMA \"" + schema + "\"");
    return schema;
  }

  public void dropSchema(String schema) throws SQLException {
    execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
  }

  /**
   * Creates a database with a fresh name starting with {@code prefix} on the same server (the role
   * needs CREATEDB); returns it. What runs there cannot see the tables of another database, not
   * even through the catalog: JobRunr looks its tables up in every schema it can see, and took
   * another run's (or a killed run's) tables for its own.
   */
  public BenchDatabase createDatabase(String prefix) throws SQLException {
    String name = newSchemaName(prefix);
    try {
      execute("CREATE DATABASE \"" + name + "\"");
    } catch (SQLException e) {
      throw new SQLException(
          "could not create the benchmark's database "
              + name
              + " (the role of "
              + url
              + " needs CREATEDB): "
              + e.getMessage(),
          e.getSQLState(),
          e);
    }
    return new BenchDatabase(withDatabase(url, name));
  }

  /** Drops {@code db}, a database {@link #createDatabase} made, closing its open connections. */
  public void dropDatabase(BenchDatabase db) throws SQLException {
    execute("DROP DATABASE IF EXISTS \"" + databaseOf(db.url) + "\" WITH (FORCE)");
  }

  /** The database a pgjdbc URL names: the path after the host, up to the parameters. */
  static String databaseOf(String url) {
    int path = url.indexOf('/', url.indexOf("//") + 2);
    int query = url.indexOf('?', path);
    return url.substring(path + 1, query < 0 ? url.length() : query);
  }

  /** {@code url} with its database replaced by {@code database}, parameters kept. */
  static String withDatabase(String url, String database) {
    int path = url.indexOf('/', url.indexOf("//") + 2);
    return url.substring(0, path + 1)
        + database
        + url.substring(path + 1 + databaseOf(url).length());
  }

  /** A direct connection, outside any store. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url);
  }

  /** Runs one statement on a connection of its own. */
  public void execute(String sql) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  /** Null when a connection to {@code url} opens within a few seconds; else why it did not. */
  public static String unreachableBecause(String url) {
    DriverManager.setLoginTimeout(3);
    try (Connection c = DriverManager.getConnection(url)) {
      return c.isValid(3) ? null : "the connection did not answer";
    } catch (SQLException e) {
      return e.getMessage();
    }
  }
}
