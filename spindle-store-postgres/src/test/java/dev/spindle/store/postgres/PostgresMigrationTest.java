package dev.spindle.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.store.ClaimRequest;
import dev.spindle.core.store.StoreException;
import dev.spindle.testkit.ManualClock;
import dev.spindle.testkit.store.NewTasks;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Versioned migrations, applied once however many nodes start together; schemas kept apart. */
class PostgresMigrationTest {
  private final ManualClock clock = ManualClock.startingAt2026();

  @BeforeEach
  void requireDatabase() {
    TestDatabase.assumeAvailable();
  }

  @AfterEach
  void dropSchemas() {
    TestDatabase.dropSchemas();
  }

  @Test
  void nodesOpeningAFreshSchemaTogetherMigrateItOnce() throws Exception {
    String schema = TestDatabase.newSchema();
    PostgresStoreOptions options = TestDatabase.options(schema).poolSize(1).build();
    int nodes = 8;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<PostgresTaskStore>> opened = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(nodes)) {
      for (int i = 0; i < nodes; i++) {
        opened.add(
            pool.submit(
                () -> {
                  start.await();
                  return PostgresTaskStore.open(options);
                }));
      }
      start.countDown();
      for (Future<PostgresTaskStore> f : opened) {
        f.get(60, TimeUnit.SECONDS).close();
      }
    }

    assertThat(appliedVersions(schema)).containsExactlyElementsOf(allVersions());
  }

  @Test
  void reopeningAnUpToDateSchemaAppliesNothing() throws Exception {
    String schema = TestDatabase.newSchema();
    PostgresStoreOptions options = TestDatabase.options(schema).build();
    PostgresTaskStore.open(options).close();
    List<String> before = appliedAt(schema);

    PostgresTaskStore.open(options).close();

    assertThat(appliedAt(schema)).isEqualTo(before);
  }

  @Test
  void aSchemaMigratedByANewerSpindleIsRefusedWithAClearMessage() throws Exception {
    String schema = TestDatabase.newSchema();
    PostgresStoreOptions options = TestDatabase.options(schema).build();
    PostgresTaskStore.open(options).close();
    int newer = PostgresTaskStore.schemaVersion() + 1;
    sql(
        "INSERT INTO "
            + schema
            + ".spindle_schema_version (version, name) VALUES ("
            + newer
            + ", 'from the future')");

    assertThatThrownBy(() -> PostgresTaskStore.open(options))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("schema '" + schema + "'")
        .hasMessageContaining("version " + newer)
        .hasMessageContaining("knows only up to " + PostgresTaskStore.schemaVersion())
        .hasMessageContaining("upgrade");
  }

  @Test
  void invalidSchemaNamesAreRefusedBeforeAnythingIsTouched() {
    for (String bad : List.of("", "Upper", "has-dash", "1digit", "pg_catalog", "x".repeat(49))) {
      assertThatThrownBy(() -> TestDatabase.options(bad).build())
          .as("schema name '%s'", bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("schema name '" + bad + "' is not valid")
          .hasMessageContaining("lowercase letters, digits and underscores");
    }
  }

  @Test
  void storesInDifferentSchemasDoNotSeeEachOthersTasks() {
    try (PostgresTaskStore a = TestDatabase.openFresh();
        PostgresTaskStore b = TestDatabase.openFresh()) {
      long id =
          a.enqueue(List.of(NewTasks.task("default", clock.instant()).build())).getFirst().id();

      assertThat(b.get(id)).isEmpty();
      assertThat(
              b.claim(
                  new ClaimRequest(
                      "default", "w", 10, clock.instant(), clock.instant().plusSeconds(30))))
          .isEmpty();
      assertThat(a.get(id)).isPresent();
    }
  }

  private static List<Integer> allVersions() {
    List<Integer> all = new ArrayList<>();
    for (int v = 1; v <= PostgresTaskStore.schemaVersion(); v++) {
      all.add(v);
    }
    return all;
  }

  private static List<Integer> appliedVersions(String schema) throws Exception {
    List<Integer> versions = new ArrayList<>();
    try (Connection c = TestDatabase.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT version FROM " + schema + ".spindle_schema_version ORDER BY version")) {
      while (rs.next()) {
        versions.add(rs.getInt(1));
      }
    }
    return versions;
  }

  private static List<String> appliedAt(String schema) throws Exception {
    List<String> times = new ArrayList<>();
    try (Connection c = TestDatabase.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT version || ' ' || applied_at FROM "
                    + schema
                    + ".spindle_schema_version ORDER BY version")) {
      while (rs.next()) {
        times.add(rs.getString(1));
      }
    }
    return times;
  }

  private static void sql(String statement) throws Exception {
    try (Connection c = TestDatabase.connect();
        Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }
}
