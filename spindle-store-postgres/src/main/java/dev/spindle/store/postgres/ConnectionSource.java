package dev.spindle.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.spindle.core.store.StoreException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.postgresql.Driver;

/**
 * Where the store gets connections: short loans for statements, and a few long-lived connections of
 * its own (the LISTEN connection, the maintenance lock holder). With a URL the store runs a
 * HikariCP pool and opens its long-lived connections directly; with a caller's DataSource both come
 * from that DataSource, which the store never closes.
 */
final class ConnectionSource implements AutoCloseable {
  private static final int MIN_SERVER_VERSION = 130000;

  /**
   * The settings of every session the store opens itself. The task tables' statistics are stale by
   * nature, and a plan made while a table was small would scan it whole once it is large (after
   * ANALYZE of an empty hot table, the generic plans of claim and complete did). Without scans of
   * whole tables, and without sorts where an index yields the order, the planner can only choose
   * the index walks the store's statements are written for, whatever the statistics say; so every
   * statement is planned generically, and the hot ones keep one plan per connection ({@link
   * NamedSql.Planning#ONCE_ON_INDEXES}) instead of being planned on every execution. (Left to
   * choose, the server kept planning the claim for its values: 16 custom plans of 16.) Both are
   * penalties, not bans: a statement with no other way still scans or sorts. JIT compilation is
   * off: the penalties inflate the estimated costs past its thresholds, and it compiled every
   * statement, for hundreds of milliseconds each.
   */
  static final Map<String, String> SESSION_SETTINGS =
      Map.of(
          "plan_cache_mode", "force_generic_plan",
          "enable_seqscan", "off",
          "enable_sort", "off",
          "jit", "off");

  private final DataSource pool;
  private final HikariDataSource ownedPool;
  private final String jdbcUrl;
  private final PostgresStoreOptions options;

  private ConnectionSource(
      DataSource pool, HikariDataSource ownedPool, String jdbcUrl, PostgresStoreOptions options) {
    this.pool = pool;
    this.ownedPool = ownedPool;
    this.jdbcUrl = jdbcUrl;
    this.options = options;
  }

  static ConnectionSource open(PostgresStoreOptions options) {
    if (options.dataSource().isPresent()) {
      return new ConnectionSource(options.dataSource().get(), null, null, options);
    }
    String url = options.jdbcUrl().orElseThrow();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setDataSourceProperties(driverProperties(options, "spindle"));
    config.setPoolName("spindle-" + options.schema());
    config.setMaximumPoolSize(options.poolSize());
    config.setConnectionTimeout(options.connectTimeout().toMillis());
    config.setAutoCommit(true);
    try {
      HikariDataSource hikari = new HikariDataSource(config);
      return new ConnectionSource(hikari, hikari, url, options);
    } catch (HikariPool.PoolInitializationException e) {
      throw unreachable(options, e.getCause() != null ? e.getCause() : e);
    } catch (RuntimeException e) {
      throw unreachable(options, e);
    }
  }

  private static Properties driverProperties(PostgresStoreOptions options, String role) {
    Properties p = new Properties();
    p.setProperty("ApplicationName", role);
    p.setProperty(
        "options",
        SESSION_SETTINGS.entrySet().stream()
            .map(setting -> "-c " + setting.getKey() + "=" + setting.getValue())
            .collect(Collectors.joining(" ")));
    p.setProperty("tcpKeepAlive", "true");
    long seconds = Math.max(1, options.connectTimeout().toSeconds());
    p.setProperty("connectTimeout", Long.toString(seconds));
    p.setProperty("loginTimeout", Long.toString(seconds));
    return p;
  }

  static StoreException unreachable(PostgresStoreOptions options, Throwable cause) {
    return new StoreException(
        "could not connect to PostgreSQL at "
            + options.describe()
            + ": "
            + cause.getMessage()
            + "; check that the server runs, accepts connections from this host, and that the"
            + " user, password and database are right",
        cause);
  }

  /**
   * True when every connection runs with {@link #SESSION_SETTINGS}: the store's own pool. A
   * caller's DataSource is left as configured.
   */
  boolean sessionPinsIndexes() {
    return ownedPool != null;
  }

  /** A connection for a few statements; close it to give it back. */
  Connection borrow() throws SQLException {
    return pool.getConnection();
  }

  /**
   * A connection of the store's own for as long as it lives, named {@code role} in {@code
   * pg_stat_activity} when the store opened it itself.
   */
  Connection dedicated(String role) throws SQLException {
    if (jdbcUrl == null) {
      Connection c = pool.getConnection();
      // LISTEN takes effect only on commit, and a session that never commits stays "idle in
      // transaction": long-lived connections of the store run in auto-commit mode.
      c.setAutoCommit(true);
      return c;
    }
    Connection c = new Driver().connect(jdbcUrl, driverProperties(options, role));
    if (c == null) {
      throw new SQLException("the PostgreSQL driver does not accept " + options.describe());
    }
    return c;
  }

  /** Checks that the database is PostgreSQL 13 or later, with a message naming what is not. */
  void checkServer(PostgresQueries queries) {
    try (Connection c = borrow()) {
      String product = c.getMetaData().getDatabaseProductName();
      if (!"PostgreSQL".equalsIgnoreCase(product)) {
        throw new StoreException(
            options.describe() + " connects to " + product + ", not PostgreSQL");
      }
      int version;
      try (NamedSql.Bound st = queries.get("server_version").prepare(c);
          ResultSet rs = st.statement().executeQuery()) {
        rs.next();
        version = rs.getInt(1);
      }
      if (version < MIN_SERVER_VERSION) {
        throw new StoreException(
            "the PostgreSQL server at "
                + options.describe()
                + " runs version "
                + version / 10000
                + "; Spindle needs PostgreSQL 13 or later");
      }
    } catch (SQLException e) {
      throw unreachable(options, e);
    }
  }

  /** Closes the store's own pool; a caller's DataSource stays open. */
  @Override
  public void close() {
    if (ownedPool != null) {
      ownedPool.close();
    }
  }

  static void closeQuietly(Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      // Closing is best effort once the connection failed or the store stopped.
    }
  }
}
