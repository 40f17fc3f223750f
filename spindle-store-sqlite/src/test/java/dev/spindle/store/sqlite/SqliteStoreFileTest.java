package dev.spindle.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.store.ClaimRequest;
import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.store.StoreException;
import dev.spindle.core.store.StoreLockedException;
import dev.spindle.core.task.NewTask;
import dev.spindle.core.task.TaskState;
import dev.spindle.testkit.ManualClock;
import dev.spindle.testkit.store.NewTasks;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is SQLite's own: one file, one process, a schema migrated on open, data kept on close. */
class SqliteStoreFileTest {
  @TempDir Path dir;
  final ManualClock clock = ManualClock.startingAt2026();

  Path db() {
    return dir.resolve("data").resolve("spindle.db");
  }

  @Test
  void openCreatesMissingParentDirectories() {
    try (SqliteTaskStore store = SqliteTaskStore.open(db())) {
      assertThat(store.file()).exists();
    }
  }

  @Test
  void secondOpenOfTheSameFileIsRefusedWithAClearMessage() {
    try (SqliteTaskStore first = SqliteTaskStore.open(db())) {
      assertThatThrownBy(() -> SqliteTaskStore.open(db()))
          .isInstanceOf(StoreLockedException.class)
          .hasMessageContaining(db().toString())
          .hasMessageContaining("another Spindle process")
          .hasMessageContaining("stop the other process");

      assertThat(first.enqueue(List.of(task()))).hasSize(1);
    }
  }

  @Test
  void fileCanBeOpenedAgainOnceTheHolderClosedIt() {
    SqliteTaskStore.open(db()).close();

    try (SqliteTaskStore again = SqliteTaskStore.open(db())) {
      assertThat(again.enqueue(List.of(task()))).hasSize(1);
    }
  }

  @Test
  void closeIsIdempotentAndLaterCallsSayTheStoreIsClosed() {
    SqliteTaskStore store = SqliteTaskStore.open(db());
    store.close();
    store.close();

    assertThatThrownBy(() -> store.enqueue(List.of(task())))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> store.get(1L))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void dataSurvivesCloseAndReopenAndIdsAndTokensKeepIncreasing() {
    long firstId;
    long firstToken;
    try (SqliteTaskStore store = SqliteTaskStore.open(db())) {
      firstId = store.enqueue(List.of(task(), task())).get(1).id();
      firstToken = claim(store).getFirst().leaseToken();
    }

    try (SqliteTaskStore store = SqliteTaskStore.open(db())) {
      assertThat(store.get(firstId)).isPresent();
      assertThat(store.get(firstId - 1).orElseThrow().state()).isEqualTo(TaskState.RUNNING);
      long nextId = store.enqueue(List.of(task())).getFirst().id();
      assertThat(nextId).isGreaterThan(firstId);
      List<ClaimedTask> claimed = claim(store);
      assertThat(claimed.getFirst().leaseToken()).isGreaterThan(firstToken);
    }
  }

  @Test
  void taskLeftRunningByAnEarlierOpenIsRescuedOnceItsLeaseExpires() {
    long id;
    try (SqliteTaskStore store = SqliteTaskStore.open(db())) {
      id = store.enqueue(List.of(task())).getFirst().id();
      claim(store);
    }

    try (SqliteTaskStore store = SqliteTaskStore.open(db())) {
      assertThat(store.rescueExpired(clock.instant().plusSeconds(29), 10).total())
          .as("the lease of 30 s still holds")
          .isZero();
      assertThat(store.rescueExpired(clock.instant().plusSeconds(31), 10).requeued())
          .containsExactly(id);
      assertThat(store.get(id).orElseThrow().state()).isEqualTo(TaskState.READY);
    }
  }

  @Test
  void idsKeepIncreasingAcrossRestartsEvenAfterEveryTaskWasPurged() {
    long lastId;
    try (SqliteTaskStore store = SqliteTaskStore.open(db())) {
      lastId = store.enqueue(List.of(task())).getFirst().id();
      store.cancel(List.of(lastId), clock.instant());
      assertThat(store.purgeFinished(clock.instant().plusSeconds(1), 10)).isEqualTo(1);
    }

    try (SqliteTaskStore store = SqliteTaskStore.open(db())) {
      assertThat(store.enqueue(List.of(task())).getFirst().id()).isGreaterThan(lastId);
    }
  }

  @Test
  void reopeningAppliesNoMigrationTwice() throws Exception {
    SqliteTaskStore.open(db()).close();
    SqliteTaskStore.open(db()).close();

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db());
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT version, name FROM spindle_schema_version ORDER BY version")) {
      List<String> applied = new ArrayList<>();
      while (rs.next()) {
        applied.add(rs.getInt(1) + " " + rs.getString(2));
      }
      assertThat(applied)
          .as("one row per migration")
          .containsExactly(
              "1 001_initial.sql",
              "2 002_dependencies.sql",
              "3 003_finished_index.sql",
              "4 004_drop_lease_index.sql",
              "5 005_finished_batches.sql",
              "6 006_ready_index_covers_deadline.sql");
    }
    assertThat(SqliteMigrator.latestVersion()).isEqualTo(6);
  }

  @Test
  void fileOfAnOlderSchemaIsMigratedOnOpenAndKeepsItsTasks() throws Exception {
    long id;
    long cancelledBefore;
    try (SqliteTaskStore store = SqliteTaskStore.open(db())) {
      id = store.enqueue(List.of(task())).getFirst().id();
      cancelledBefore = store.enqueue(List.of(task())).getFirst().id();
    }
    // Take the file back to schema 1, as the first release wrote it, with a task finished in it.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db());
        Statement st = c.createStatement()) {
      st.executeUpdate("DROP TABLE spindle_finished");
      st.executeUpdate(
          "CREATE INDEX spindle_task_purge ON spindle_task (finished_at)"
              + " WHERE state IN ('SUCCEEDED', 'CANCELLED', 'EXPIRED')");
      st.executeUpdate(
          "CREATE INDEX spindle_task_lease ON spindle_task (lease_until) WHERE state = 'RUNNING'");
      st.executeUpdate("DROP INDEX spindle_task_waiting");
      st.executeUpdate("DROP TABLE spindle_task_dep");
      st.executeUpdate("DROP INDEX spindle_task_ready");
      st.executeUpdate(
          "CREATE INDEX spindle_task_ready ON spindle_task (queue, priority DESC, run_at, id)"
              + " WHERE state = 'READY'");
      st.executeUpdate("DELETE FROM spindle_schema_version WHERE version IN (2, 3, 4, 5, 6)");
      st.executeUpdate(
          "UPDATE spindle_task SET state = 'CANCELLED', finished_at = "
              + clock.instant().toEpochMilli()
              + " WHERE id = "
              + cancelledBefore);
    }

    try (SqliteTaskStore store = SqliteTaskStore.open(db())) {
      assertThat(store.get(id)).isPresent();
      long child =
          store
              .enqueue(List.of(NewTasks.task("q", clock.instant()).dependsOn(List.of(id)).build()))
              .get(0)
              .id();
      assertThat(store.get(child).orElseThrow().state()).isEqualTo(TaskState.WAITING);
      store.cancel(List.of(id, child), clock.instant());
      // Migration 5 listed the task finished before it for the purge, as commits list theirs now.
      assertThat(store.purgeFinished(clock.instant().plusSeconds(1), 10)).isEqualTo(3);
      assertThat(store.get(List.of(id, child, cancelledBefore))).isEmpty();
    }
  }

  @Test
  void databaseFromANewerSpindleIsRefused() throws Exception {
    SqliteTaskStore.open(db()).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db());
        Statement st = c.createStatement()) {
      st.executeUpdate("INSERT INTO spindle_schema_version (version, name) VALUES (99, 'x.sql')");
    }

    assertThatThrownBy(() -> SqliteTaskStore.open(db()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("newer Spindle");
    // The refused open released the file again.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db());
        Statement st = c.createStatement()) {
      st.executeUpdate("DELETE FROM spindle_schema_version WHERE version = 99");
    }
    SqliteTaskStore.open(db()).close();
  }

  @Test
  void storeRunsInWalModeWithFullSyncByDefault() throws Exception {
    try (SqliteTaskStore store = SqliteTaskStore.open(db())) {
      assertThat(store.enqueue(List.of(task()))).hasSize(1);
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db());
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
        assertThat(rs.getString(1)).isEqualTo("wal");
      }
    }
    assertThat(SqliteStoreOptions.defaults().durability())
        .isEqualTo(SqliteStoreOptions.Durability.FULL);
  }

  @Test
  void optionsRejectNonsenseWithTheValueGiven() {
    assertThatThrownBy(() -> SqliteStoreOptions.builder().readerConnections(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("readerConnections")
        .hasMessageContaining("0");
  }

  private NewTask task() {
    return NewTasks.task("q", clock.instant()).build();
  }

  private List<ClaimedTask> claim(SqliteTaskStore store) {
    return store.claim(
        new ClaimRequest("q", "w", 1, clock.instant(), clock.instant().plusSeconds(30)));
  }
}
