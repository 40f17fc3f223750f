package dev.spindle.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SqliteQueriesTest {
  private static final Pattern BARE_LIMIT =
      Pattern.compile("\\b(LIMIT|OFFSET)\\s+\\?\\d*", Pattern.CASE_INSENSITIVE);

  /**
   * A bare bound LIMIT makes SQLite prepare the statement again on every execution (see
   * task_write.sql); the hot claim paid the parser and planner each time.
   */
  @Test
  void noStatementBindsItsLimitAsABareParameter() {
    Map<String, String> all = SqliteQueries.all();
    assertThat(all).containsKeys("claim", "lease_of", "purge_lists");
    assertThat(all)
        .allSatisfy(
            (name, sql) ->
                assertThat(BARE_LIMIT.matcher(sql).find())
                    .as("query '%s' binds LIMIT or OFFSET as a bare parameter: %s", name, sql)
                    .isFalse());
  }
}
