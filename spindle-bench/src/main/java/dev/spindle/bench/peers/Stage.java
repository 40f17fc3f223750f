package dev.spindle.bench.peers;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.spindle.bench.BenchDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where one run happens, created empty and removed afterwards: a fresh database on the PostgreSQL
 * server (with a fresh schema in it), or a fresh directory holding a SQLite file. No system sees
 * another's tables, nor those of a run going on at the same time or of a run killed before it could
 * remove its own.
 */
final class Stage implements AutoCloseable {
  private final StoreKind kind;
  private final BenchDatabase server;
  private final BenchDatabase postgres;
  private final String schema;
  private final Path directory;
  private Connection counting;

  private Stage(
      StoreKind kind, BenchDatabase server, BenchDatabase postgres, String schema, Path directory) {
    this.kind = kind;
    this.server = server;
    this.postgres = postgres;
    this.schema = schema;
    this.directory = directory;
  }

  /** A fresh database next to {@code server}'s, dropped on close. */
  static Stage postgres(BenchDatabase server) throws SQLException {
    BenchDatabase db = server.createDatabase("spindle_peers_");
    try {
      return new Stage(StoreKind.POSTGRES, server, db, db.createSchema("spindle_peers_"), null);
    } catch (SQLException e) {
      server.dropDatabase(db);
      throw e;
    }
  }

  static Stage sqlite(Path parent) throws IOException {
    Files.createDirectories(parent);
    return new Stage(
        StoreKind.SQLITE, null, null, null, Files.createTempDirectory(parent, "peers-"));
  }

  StoreKind kind() {
    return kind;
  }

  String pgUrl() {
    return postgres.url();
  }

  String schema() {
    return schema;
  }

  Path sqliteFile() {
    return directory.resolve("tasks.db");
  }

  /** {@code table} as a query on this stage names it. */
  String table(String table) {
    return kind == StoreKind.POSTGRES ? schema + "." + table : table;
  }

  /**
   * A pool of {@code size} connections. On SQLite every connection uses WAL and synchronous=FULL,
   * as Spindle's store does, and waits up to 10 s for the write lock.
   */
  HikariDataSource pool(String name, int size) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setMaximumPoolSize(size);
    if (kind == StoreKind.POSTGRES) {
      config.setJdbcUrl(postgres.url());
      config.setSchema(schema);
    } else {
      config.setJdbcUrl(jdbcUrl());
      config.addDataSourceProperty("journal_mode", "WAL");
      config.addDataSourceProperty("synchronous", "FULL");
      config.addDataSourceProperty("busy_timeout", "10000");
    }
    return new HikariDataSource(config);
  }

  /** The number {@code sql} selects, on a connection kept for counting. */
  int count(String sql) throws SQLException {
    if (counting == null) {
      counting = DriverManager.getConnection(kind == StoreKind.POSTGRES ? pgUrl() : jdbcUrl());
    }
    try (Statement st = counting.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private String jdbcUrl() {
    return "jdbc:sqlite:" + sqliteFile();
  }

  @Override
  public void close() throws SQLException, IOException {
    if (counting != null) {
      counting.close();
    }
    if (kind == StoreKind.POSTGRES) {
      server.dropDatabase(postgres);
    } else {
      try (Stream<Path> files = Files.walk(directory)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
