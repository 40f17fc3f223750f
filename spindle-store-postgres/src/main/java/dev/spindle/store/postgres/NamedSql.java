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
  private final Planning planning;
  private final boolean sessionPinsIndexes;

  /** How the server plans a statement. */
  enum Planning {
    /**
     * Once per connection, the plan cached for later executions: for statements that look no rows
     * up, or look them up only in ways no statistics can turn into a scan of a whole table.
     */
    ONCE,
    /**
     * On every execution, with the tables' current sizes: for statements whose best plan depends on
     * them. A caller's DataSource plans them for their values too; the store's own sessions plan
     * every statement generically ({@link ConnectionSource#SESSION_SETTINGS}).
     */
    EVERY_EXECUTION,
    /**
     * Once per connection on the store's own sessions, which rule out scans of whole tables and
     * sorts where an index serves ({@link ConnectionSource#SESSION_SETTINGS}), so the one plan
     * walks an index whatever the statistics said when it was made; on every execution elsewhere (a
     * caller's DataSource). For the hot path: planning was a fifth of the server's CPU time with
     * one task per submit.
     */
    ONCE_ON_INDEXES
  }

  private NamedSql(
      String name,
      String jdbcSql,
      Map<String, int[]> positions,
      Planning planning,
      boolean sessionPinsIndexes) {
    this.name = name;
    this.jdbcSql = jdbcSql;
    this.positions = positions;
    this.planning = planning;
    this.sessionPinsIndexes = sessionPinsIndexes;
  }

  /**
   * @param planning how the server is to plan the statement
   * @param sessionPinsIndexes true when the connections' sessions run with the store's {@link
   *     ConnectionSource#SESSION_SETTINGS}
   */
  static NamedSql parse(String name, String sql, Planning planning, boolean sessionPinsIndexes) {
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
    return new NamedSql(name, out.toString(), Map.copyOf(positions), planning, sessionPinsIndexes);
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
    return new NamedSql(
        name, "EXPLAIN " + jdbcSql, positions, Planning.EVERY_EXECUTION, sessionPinsIndexes);
  }

  Planning planning() {
    return planning;
  }

  /** True when the server plans the statement anew on each execution, on these sessions. */
  boolean plannedEveryExecution() {
    return planning == Planning.EVERY_EXECUTION
        || (planning == Planning.ONCE_ON_INDEXES && !sessionPinsIndexes);
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
    return prepare(connection, false);
  }

  /**
   * Prepares the statement on {@code connection}. A statement is prepared on the server after a few
   * executions (the driver caches statements by SQL text), and its plan cached per connection. One
   * to be planned on every execution (see {@link #plannedEveryExecution}, or {@code
   * planEveryExecution}) is sent unnamed each time instead, parsed and planned anew (for its
   * values, where the session does not plan generically): a few hundred microseconds, paid per
   * batch.
   */
  Bound prepare(Connection connection, boolean planEveryExecution) throws SQLException {
    PreparedStatement ps = connection.prepareStatement(jdbcSql);
    if (planEveryExecution || plannedEveryExecution()) {
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
