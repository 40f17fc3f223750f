package dev.spindle.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.postgresql.PGStatement;

/**
 * One statement of the store's SQL, written with named parameters ({@code :queue}) and run through
 * JDBC's positional ones. A name may appear several times; {@code ::} casts, string literals and
 * quoted identifiers are left alone.
 */
final class NamedSql {
  private final String name;
  private final String jdbcSql;
  private final Map<String, int[]> positions;
  private final boolean planEveryExecution;
  private final boolean sessionPlansEveryExecution;

  private NamedSql(
      String name,
      String jdbcSql,
      Map<String, int[]> positions,
      boolean planEveryExecution,
      boolean sessionPlansEveryExecution) {
    this.name = name;
    this.jdbcSql = jdbcSql;
    this.positions = positions;
    this.planEveryExecution = planEveryExecution;
    this.sessionPlansEveryExecution = sessionPlansEveryExecution;
  }

  /**
   * @param planEveryExecution true to have the server plan the statement on each execution, with
   *     the parameters' values and the tables' current sizes, instead of reusing a cached plan
   * @param sessionPlansEveryExecution true when the connections' sessions run with {@code
   *     plan_cache_mode = force_custom_plan}: every statement may then be prepared on the server
   *     once and is still planned anew on each execution
   */
  static NamedSql parse(
      String name, String sql, boolean planEveryExecution, boolean sessionPlansEveryExecution) {
    StringBuilder out = new StringBuilder(sql.length());
    Map<String, List<Integer>> found = new HashMap<>();
    int count = 0;
    int i = 0;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"') {
        int end = sql.indexOf(c, i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("query '" + name + "' has an unterminated " + c);
        }
        out.append(sql, i, end + 1);
        i = end + 1;
      } else if (c == ':' && i + 1 < sql.length() && sql.charAt(i + 1) == ':') {
        out.append("::");
        i += 2;
      } else if (c == ':' && i + 1 < sql.length() && isNameStart(sql.charAt(i + 1))) {
        int end = i + 1;
        while (end < sql.length() && isNamePart(sql.charAt(end))) {
          end++;
        }
        found.computeIfAbsent(sql.substring(i + 1, end), k -> new ArrayList<>()).add(++count);
        out.append('?');
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    Map<String, int[]> positions = new HashMap<>();
    found.forEach(
        (param, at) -> positions.put(param, at.stream().mapToInt(Integer::intValue).toArray()));
    return new NamedSql(
        name,
        out.toString(),
        Map.copyOf(positions),
        planEveryExecution,
        sessionPlansEveryExecution);
  }

  private static boolean isNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isNamePart(char c) {
    return isNameStart(c) || (c >= '0' && c <= '9');
  }

  String name() {
    return name;
  }

  /** The statement with {@code ?} in place of each named parameter. */
  String jdbcSql() {
    return jdbcSql;
  }

  /** The same statement under EXPLAIN: run it to see the plan the server makes for the values. */
  NamedSql explained() {
    return new NamedSql(name, "EXPLAIN " + jdbcSql, positions, true, sessionPlansEveryExecution);
  }

  boolean planEveryExecution() {
    return planEveryExecution;
  }

  /** The statement with {@code $1, $2, ...} in place of the named parameters, as for PREPARE. */
  String numberedSql() {
    StringBuilder out = new StringBuilder(jdbcSql.length() + 16);
    int n = 0;
    for (int i = 0; i < jdbcSql.length(); i++) {
      char c = jdbcSql.charAt(i);
      if (c == '?') {
        out.append('$').append(++n);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** How many positional parameters the statement has. */
  int parameterCount() {
    int n = 0;
    for (int[] at : positions.values()) {
      n += at.length;
    }
    return n;
  }

  /** Prepares the statement on {@code connection}, planned as its SQL file says. */
  Bound prepare(Connection connection) throws SQLException {
    return prepare(connection, planEveryExecution);
  }

  /**
   * Prepares the statement on {@code connection}. A statement is prepared on the server after a few
   * executions (the driver caches statements by SQL text), and its plan cached per connection
   * unless the session plans every execution. One to be planned on every execution on a session
   * that does not (a caller's DataSource) is sent unnamed each time, parsed and planned anew: a few
   * hundred microseconds, paid per batch.
   */
  Bound prepare(Connection connection, boolean planEveryExecution) throws SQLException {
    PreparedStatement ps = connection.prepareStatement(jdbcSql);
    if (planEveryExecution && !sessionPlansEveryExecution) {
      ps.unwrap(PGStatement.class).setPrepareThreshold(0);
    }
    return new Bound(ps);
  }

  /** A prepared statement whose parameters are set by name; all must be set before it runs. */
  final class Bound implements AutoCloseable {
    private final PreparedStatement statement;
    private final Set<String> unset = new LinkedHashSet<>(positions.keySet());

    private Bound(PreparedStatement statement) {
      this.statement = statement;
    }

    /**
     * Sets every occurrence of {@code :param}. Values are passed to the driver as they are: Long,
     * Integer, String, Boolean, or arrays of them ({@code long[]}, {@code String[]}, ...); null is
     * sent untyped, which the casts written in the SQL resolve.
     */
    Bound set(String param, Object value) throws SQLException {
      int[] at = positions.get(param);
      if (at == null) {
        throw new IllegalArgumentException(
            "query '" + name + "' has no parameter :" + param + "; it has " + positions.keySet());
      }
      for (int index : at) {
        if (value == null) {
          statement.setNull(index, java.sql.Types.NULL);
        } else {
          statement.setObject(index, value);
        }
      }
      unset.remove(param);
      return this;
    }

    PreparedStatement statement() {
      if (!unset.isEmpty()) {
        throw new IllegalStateException(
            "query '" + name + "' cannot run: parameters " + unset + " were not set");
      }
      return statement;
    }

    @Override
    public void close() throws SQLException {
      statement.close();
    }
  }
}
