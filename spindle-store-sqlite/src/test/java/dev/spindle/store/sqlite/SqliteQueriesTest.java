package dev.spindle.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  /**
   * The claim finds its tasks in the ready index alone, deadline included (migration 006): a lookup
   * of every candidate's table row before the update looked it up again was a tenth of the claim.
   */
  @Test
  void claimSearchReadsOnlyTheReadyIndex(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tasks.db");
    SqliteTaskStore.open(file).close();

    assertThat(plan(file, "claim", "worker", 1, 2, 3, "default", 10))
        .contains("SEARCH spindle_task USING COVERING INDEX spindle_task_ready (queue=?)");
  }

  /** The probe a submit runs before it starts its tasks at once is the claim's search, stopped. */
  @Test
  void dueTaskProbeReadsOnlyTheReadyIndex(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tasks.db");
    SqliteTaskStore.open(file).close();

    assertThat(plan(file, "queue_has_due_task", "default", 3))
        .containsExactly("SEARCH spindle_task USING COVERING INDEX spindle_task_ready (queue=?)");
  }

  private static List<String> plan(Path file, String query, Object... parameters) throws Exception {
    List<String> plan = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        PreparedStatement ps =
            c.prepareStatement("EXPLAIN QUERY PLAN " + SqliteQueries.sql(query))) {
      for (int i = 0; i < parameters.length; i++) {
        ps.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          plan.add(rs.getString(4));
        }
      }
    }
    return plan;
  }
}
