package dev.spindle.bench.peers;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The PostgreSQL database the peers run in: each system gets a fresh schema, dropped afterwards, so
 * no system sees another's tables and a run leaves nothing behind.
 */
final class PeerDatabase {
  private final String url;

  PeerDatabase(String url) {
    this.url = url;
  }

  String url() {
    return url;
  }

  /** Creates a schema with a fresh random name starting with {@code prefix}. */
  String createSchema(String prefix) throws SQLException {
    byte[] random = new byte[4];
    ThreadLocalRandom.current().nextBytes(random);
    String schema = prefix + HexFormat.of().formatHex(random);
    execute("CREATE SCHEMA " + schema);
    return schema;
  }

  void dropSchema(String schema) throws SQLException {
    execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }

  /** Whether a connection opens within a few seconds; the reason when it does not. */
  static String unreachableBecause(String url) {
    DriverManager.setLoginTimeout(3);
    try (Connection c = DriverManager.getConnection(url)) {
      return c.isValid(3) ? null : "the connection did not answer";
    } catch (SQLException e) {
      return e.getMessage();
    }
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
