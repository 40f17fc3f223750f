package dev.spindle.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.spindle.core.store.ClaimRequest;
import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.store.Outcome;
import dev.spindle.core.task.TaskState;
import dev.spindle.testkit.ManualClock;
import dev.spindle.testkit.store.NewTasks;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What is this store's own: finished tasks leave the hot table in the statement that finishes them,
 * and a caller's DataSource is borrowed, never closed, and left clean.
 */
class PostgresHistoryTableTest {
  private final ManualClock clock = ManualClock.startingAt2026();

  @AfterEach
  void dropSchemas() {
    TestDatabase.dropSchemas();
  }

  @Test
  void finishedTasksMoveToTheHistoryTableAndARetryBringsThemBack() throws Exception {
    try (PostgresTaskStore store = TestDatabase.openFresh()) {
      String schema = store.options().schema();
      for (int i = 0; i < 4; i++) {
        store.enqueue(List.of(NewTasks.task("default", clock.instant()).build()));
      }
      List<ClaimedTask> c =
          store.claim(
              new ClaimRequest(
                  "default", "w", 3, clock.instant(), clock.instant().plusSeconds(30)));
      store.complete(
          List.of(
              new Outcome.Succeeded(c.get(0).id(), c.get(0).leaseToken(), "1", clock.instant()),
              new Outcome.Dead(c.get(1).id(), c.get(1).leaseToken(), "no", clock.instant())));

      assertThat(count(schema, "spindle_task")).as("RUNNING and READY").isEqualTo(2);
      assertThat(count(schema, "spindle_task_done")).as("SUCCEEDED and DEAD").isEqualTo(2);

      store.retry(List.of(c.get(1).id()), clock.instant());

      assertThat(count(schema, "spindle_task")).isEqualTo(3);
      assertThat(count(schema, "spindle_task_done")).isEqualTo(1);
      assertThat(store.get(c.get(1).id()).orElseThrow().state()).isEqualTo(TaskState.READY);
    }
  }

  @Test
  void aCallersDataSourceIsBorrowedNeverClosedAndGivenBackClean() throws Exception {
    TestDatabase.assumeAvailable();
    String schema = TestDatabase.newSchema();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(PostgresUrls.toJdbc(TestDatabase.URL));
    config.setMaximumPoolSize(3);
    config.setAutoCommit(false); // the store's statements must commit all the same
    try (HikariDataSource callersPool = new HikariDataSource(config)) {
      PostgresStoreOptions options =
          PostgresStoreOptions.builder().dataSource(callersPool).schema(schema).build();
      try (PostgresTaskStore store = PostgresTaskStore.open(options)) {
        List<String> woken = new CopyOnWriteArrayList<>();
        PostgresTaskStore.Subscription subscription = store.onTasksAvailable(woken::add);
        assertThat(store.awaitListening(Duration.ofSeconds(5))).isTrue();
        store.enqueue(List.of(NewTasks.task("default", clock.instant()).build()));
        assertThat(store.leadsMaintenance()).isTrue();
        Wait.until("the wake-up", Duration.ofSeconds(5), () -> !woken.isEmpty());
        subscription.close();
      }

      assertThat(callersPool.isClosed()).isFalse();
      try (PostgresTaskStore other = PostgresTaskStore.open(TestDatabase.options(schema).build())) {
        assertThat(other.leadsMaintenance())
            .as("the lock was released although its session lives on in the caller's pool")
            .isTrue();
        assertThat(other.stats(clock.instant()).getFirst().count(TaskState.READY)).isEqualTo(1);
      }
    }
  }

  private static long count(String schema, String table) throws Exception {
    try (Connection c = TestDatabase.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM " + schema + "." + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
