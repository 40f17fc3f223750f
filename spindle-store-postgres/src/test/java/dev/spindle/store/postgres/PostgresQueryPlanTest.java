package dev.spindle.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spindle.core.store.ClaimRequest;
import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.store.Outcome;
import dev.spindle.core.task.NewTask;
import dev.spindle.testkit.ManualClock;
import dev.spindle.testkit.store.NewTasks;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every statement finds its rows through an index, whatever the statistics say. A queue table's
 * statistics are stale by nature: here both tables are analyzed while every task of the hot table
 * is READY, then a batch is claimed, so the statistics claim that no task runs. No statement may
 * then plan a scan of a whole task table, planned either way the store has it planned: generically
 * on a session with the store's own settings, and for real values, as a caller's DataSource plans
 * the statements marked to be planned on every execution. The hot path's statements, planned once
 * per connection, are checked on an analyzed empty store too, whose statistics made their generic
 * plans scan the table without the store's session settings.
 */
class PostgresQueryPlanTest {
  private static final ManualClock clock = ManualClock.startingAt2026();
  private static final int TASKS = 20_000;
  private static PostgresTaskStore store;
  private static PostgresQueries queries;
  private static long[] runningIds;
  private static long[] runningTokens;
  private static long now;

  /** Binds realistic values to a statement. */
  @FunctionalInterface
  private interface Values {
    void bind(NamedSql.Bound st) throws SQLException;
  }

  @BeforeAll
  static void staleStatistics() throws Exception {
    store = TestDatabase.openFresh();
    queries = PostgresQueries.forSchema(new StoreSchema(store.options().schema()), true);
    now = clock.instant().toEpochMilli();
    List<NewTask> batch = new ArrayList<>();
    for (int i = 0; i < TASKS; i++) {
      batch.add(NewTasks.task("default", clock.instant()).payload("{\"i\":" + i + "}").build());
      if (batch.size() == 1000) {
        store.enqueue(batch);
        batch.clear();
      }
    }
    for (int i = 0; i < 5; i++) {
      List<Outcome> outcomes = new ArrayList<>();
      for (ClaimedTask t : claim(1000)) {
        outcomes.add(new Outcome.Succeeded(t.id(), t.leaseToken(), "1", clock.instant()));
      }
      store.complete(outcomes);
    }
    sql("ANALYZE " + store.options().schema() + ".spindle_task");
    sql("ANALYZE " + store.options().schema() + ".spindle_task_done");
    List<ClaimedTask> running = new ArrayList<>(claim(256));
    running.sort((a, b) -> Long.compare(a.id(), b.id()));
    runningIds = running.stream().mapToLong(ClaimedTask::id).toArray();
    runningTokens = running.stream().mapToLong(ClaimedTask::leaseToken).toArray();
  }

  private static List<ClaimedTask> claim(int max) {
    return store.claim(
        new ClaimRequest("default", "w", max, clock.instant(), clock.instant().plusSeconds(30)));
  }

  @AfterAll
  static void close() {
    if (store != null) {
      store.close();
    }
    TestDatabase.dropSchemas();
  }

  @Test
  void claimWalksTheReadyIndexAndUpdatesTheLockedRowsInPlace() throws Exception {
    assertIndexed(
        "claim",
        st ->
            st.set("queue", "default")
                .set("worker", "w")
                .set("now", now)
                .set("lease_until", now + 30_000)
                .set("max", 128),
        "spindle_task_ready",
        "Tid Scan on spindle_task");
  }

  @Test
  void completeAndHeartbeatFindTheirTasksByPrimaryKey() throws Exception {
    // Half of the tasks finish, the other half go back to READY: both parts look up by id.
    int n = runningIds.length / 2;
    int m = runningIds.length - n;
    String[] kinds = new String[n];
    Arrays.fill(kinds, "SUCCEEDED");
    long[] ats = new long[Math.max(n, m)];
    Arrays.fill(ats, now);
    assertIndexed(
        "complete",
        st ->
            st.set("ids", Arrays.copyOfRange(runningIds, 0, n))
                .set("tokens", Arrays.copyOfRange(runningTokens, 0, n))
                .set("kinds", kinds)
                .set("results", new String[n])
                .set("errors", new String[n])
                .set("ats", Arrays.copyOf(ats, n))
                .set("requeue_ids", Arrays.copyOfRange(runningIds, n, runningIds.length))
                .set("requeue_tokens", Arrays.copyOfRange(runningTokens, n, runningIds.length))
                .set("requeue_released", new boolean[m])
                .set("requeue_errors", new String[m])
                .set("requeue_ats", Arrays.copyOf(ats, m)),
        "spindle_task_pkey");
    assertIndexed(
        "heartbeat",
        st ->
            st.set("ids", runningIds)
                .set("tokens", runningTokens)
                .set("progress", new String[n])
                .set("worker", "w")
                .set("lease_until", now),
        "spindle_task_pkey");
  }

  @Test
  void maintenanceFindsItsTasksThroughItsPartialIndexes() throws Exception {
    assertIndexed(
        "rescue_expired", st -> st.set("now", now).set("limit", 1000), "spindle_task_lease");
    assertIndexed(
        "expire_overdue", st -> st.set("now", now).set("limit", 1000), "spindle_task_deadline");
    assertIndexed("promote_waiting", st -> st.set("limit", 1000), "spindle_task_waiting");
    assertIndexed(
        "purge_finished",
        st -> st.set("cutoff", now).set("limit", 1000),
        "spindle_task_done_purge");
  }

  @Test
  void lookupsByIdUseThePrimaryKeysOfBothTables() throws Exception {
    long[] ids = Arrays.copyOf(runningIds, 10);
    assertIndexed("cancel", st -> st.set("ids", ids).set("now", now), "spindle_task_pkey");
    for (String name : List.of("locate", "get_by_ids")) {
      assertIndexed(name, st -> st.set("ids", ids), "spindle_task_pkey", "done_pkey");
    }
    assertIndexed("retry", st -> st.set("ids", ids).set("now", now), "spindle_task_done_pkey");
    assertIndexed(
        "list",
        st ->
            st.set("after", Long.MAX_VALUE)
                .set("queue", null)
                .set("state", null)
                .set("type", null)
                .set("split_at", null)
                .set("scheduled", false)
                .set("limit", 101),
        "spindle_task_pkey",
        "spindle_task_done_pkey");
  }

  @Test
  void enqueueLooksParentsUpByPrimaryKey() throws Exception {
    int n = 100;
    String[] text = new String[n];
    Arrays.fill(text, "x");
    long[] times = new long[n];
    Arrays.fill(times, now);
    long[] depOrds = new long[n];
    long[] depParents = new long[n];
    for (int i = 0; i < n; i++) {
      depOrds[i] = i + 1;
      depParents[i] = runningIds[i];
    }
    assertIndexed(
        "enqueue",
        st ->
            st.set("types", text)
                .set("queues", text)
                .set("payloads", text)
                .set("priorities", new int[n])
                .set("run_ats", times)
                .set("deadlines", new Long[n])
                .set("max_attempts", new int[n])
                .set("timeouts", new long[n])
                .set("keys", new String[n])
                .set("fingerprints", text)
                .set("created_ats", times)
                .set("dep_ords", depOrds)
                .set("dep_parents", depParents)
                .set("channel", "c")
                .set("notify_queues", new String[0]),
        "spindle_task_pkey");
  }

  @Test
  void submitsThatStartTasksLookForDueTasksThroughTheReadyIndex() throws Exception {
    assertGenericIndexed(queries.get("enqueue_start"), "spindle_task_ready");
  }

  @Test
  void theHotPathWalksIndexesOnAnAnalyzedEmptyStoreToo() throws Exception {
    PostgresTaskStore empty = TestDatabase.openFresh();
    try {
      String schema = empty.options().schema();
      sql("ANALYZE " + schema + ".spindle_task");
      sql("ANALYZE " + schema + ".spindle_task_done");
      PostgresQueries fresh = PostgresQueries.forSchema(new StoreSchema(schema), true);
      Map<String, List<String>> expected =
          Map.of(
              "claim", List.of("spindle_task_ready", "Tid Scan on spindle_task"),
              "enqueue_start", List.of("spindle_task_ready"),
              "complete", List.of("spindle_task_pkey"),
              "heartbeat", List.of("spindle_task_pkey"));
      for (var e : expected.entrySet()) {
        NamedSql sql = fresh.get(e.getKey());
        assertThat(sql.planning()).as(e.getKey()).isEqualTo(NamedSql.Planning.ONCE_ON_INDEXES);
        assertGenericIndexed(sql, e.getValue().toArray(String[]::new));
      }
    } finally {
      empty.close();
    }
  }

  @Test
  void theStoresOwnSessionsPlanTheHotPathOnceAndACallersOnEveryExecution() throws Exception {
    try (Connection c = TestDatabase.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SHOW server_version_num")) {
      rs.next();
      assumeTrue(rs.getInt(1) >= 140000, "pg_prepared_statements counts plans from 14 on");
    }
    String schema = store.options().schema();
    try (ConnectionSource own = ConnectionSource.open(TestDatabase.options(schema).build());
        Connection c = own.dedicated("spindle-plan-test")) {
      assertThat(own.sessionPinsIndexes()).isTrue();
      NamedSql claim = PostgresQueries.forSchema(new StoreSchema(schema), true).get("claim");
      for (int i = 0; i < 20; i++) {
        try (NamedSql.Bound st = claim.prepare(c)) {
          st.set("queue", "no-such-queue")
              .set("worker", "w")
              .set("now", now)
              .set("lease_until", now + 30_000)
              .set("max", 10);
          st.statement().executeQuery().close();
        }
      }
      try (Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
                      + " WHERE statement LIKE '%FOR UPDATE SKIP LOCKED%'")) {
        assertThat(rs.next()).as("claim is prepared on the server").isTrue();
        assertThat(rs.getLong(1)).as("generic plans").isGreaterThan(rs.getLong(2));
      }
    }
    NamedSql callers = PostgresQueries.forSchema(new StoreSchema(schema), false).get("claim");
    assertThat(callers.plannedEveryExecution()).isTrue();
    assertThat(queries.get("claim").plannedEveryExecution()).isFalse();
  }

  @Test
  void statementsPlannedOnceNeverLookRowsUp() throws Exception {
    for (String name : List.of("enqueue", "enqueue_plain", "notify_queues", "stats")) {
      assertThat(queries.get(name).planning()).as(name).isEqualTo(NamedSql.Planning.ONCE);
    }
    for (String name : List.of("enqueue", "enqueue_plain")) {
      assertThat(genericPlan(queries.get(name)))
          .as(name)
          .doesNotContain("Seq Scan on spindle_task ");
    }
  }

  /**
   * Checks the statement's plan on both kinds of session: generic, as the store's own sessions plan
   * it, and for {@code values}, as a caller's DataSource plans a statement sent unnamed.
   */
  private static void assertIndexed(String name, Values values, String... indexes)
      throws Exception {
    NamedSql sql = queries.get(name);
    assertGenericIndexed(sql, indexes);
    StringBuilder plan = new StringBuilder();
    try (Connection c = TestDatabase.connect();
        NamedSql.Bound st = sql.explained().prepare(c)) {
      values.bind(st);
      try (ResultSet rs = st.statement().executeQuery()) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
    }
    assertNoTableScan(name + " for its values", plan.toString(), indexes);
  }

  /** Checks the statement's generic plan on a session with the store's own settings. */
  private static void assertGenericIndexed(NamedSql sql, String... indexes) throws Exception {
    assertNoTableScan(sql.name() + ", generic", genericPlan(sql), indexes);
  }

  private static void assertNoTableScan(String what, String plan, String... indexes) {
    assertThat(plan)
        .as("plan of %s:%n%s", what, plan)
        .doesNotContain("Seq Scan on spindle_task ")
        .doesNotContain("Seq Scan on spindle_task_done ")
        .contains(indexes);
  }

  /** A connection with the settings of the store's own sessions. */
  private static Connection storeSession() throws SQLException {
    Connection c = TestDatabase.connect();
    try (Statement st = c.createStatement()) {
      for (var setting : ConnectionSource.SESSION_SETTINGS.entrySet()) {
        st.execute("SET " + setting.getKey() + " = " + setting.getValue());
      }
    }
    return c;
  }

  private static String genericPlan(NamedSql sql) throws Exception {
    try (Connection c = storeSession();
        Statement st = c.createStatement()) {
      st.execute("SET plan_cache_mode = force_generic_plan");
      st.execute("PREPARE checked AS " + sql.numberedSql());
      String nulls = String.join(", ", Collections.nCopies(sql.parameterCount(), "NULL"));
      StringBuilder plan = new StringBuilder();
      try (ResultSet rs = st.executeQuery("EXPLAIN EXECUTE checked(" + nulls + ")")) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
      return plan.toString();
    }
  }

  private static void sql(String statement) throws Exception {
    try (Connection c = TestDatabase.connect();
        Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }
}
