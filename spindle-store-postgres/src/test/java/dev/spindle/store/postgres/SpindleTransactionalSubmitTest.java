package dev.spindle.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.Spindle;
import dev.spindle.core.TaskRequest;
import dev.spindle.core.task.TaskState;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The application's view of transactional submit: a task submitted with the caller's connection
 * runs if and only if the caller's own transaction commits.
 */
class SpindleTransactionalSubmitTest {
  private Spindle spindle;
  private Connection caller;
  private String schema;

  @BeforeEach
  void open() throws Exception {
    PostgresTaskStore store = TestDatabase.openFresh();
    schema = store.options().schema();
    spindle =
        Spindle.builder()
            .store(store)
            .pollInterval(Duration.ofMillis(50))
            .handler("ship", Integer.class, (order, ctx) -> "shipped " + order)
            .build()
            .start();
    caller = TestDatabase.connect();
    try (Statement st = caller.createStatement()) {
      st.execute("CREATE TABLE " + schema + ".orders (id int PRIMARY KEY)");
    }
    caller.setAutoCommit(false);
  }

  @AfterEach
  void close() throws Exception {
    if (caller != null) {
      caller.close();
    }
    if (spindle != null) {
      spindle.close();
    }
    TestDatabase.dropSchemas();
  }

  private void insertOrder(int id) throws Exception {
    try (Statement st = caller.createStatement()) {
      st.executeUpdate("INSERT INTO " + schema + ".orders VALUES (" + id + ")");
    }
  }

  @Test
  void taskSubmittedWithTheOrderRunsOnceTheOrderCommits() throws Exception {
    insertOrder(42);
    long id = spindle.submitAll(caller, List.of(TaskRequest.of("ship", 42))).getFirst();
    assertThat(spindle.get(id)).as("invisible until the caller commits").isEmpty();

    caller.commit();

    assertThat(spindle.awaitFinal(id, Duration.ofSeconds(20)).state())
        .isEqualTo(TaskState.SUCCEEDED);
    assertThat(spindle.result(id, String.class)).hasValue("shipped 42");
  }

  @Test
  void taskSubmittedWithARolledBackOrderNeverExists() throws Exception {
    insertOrder(7);
    long id = spindle.submitAll(caller, List.of(TaskRequest.of("ship", 7))).getFirst();

    caller.rollback();

    assertThat(spindle.get(id)).isEmpty();
    assertThat(spindle.stats()).allSatisfy(q -> assertThat(q.count(TaskState.READY)).isZero());
  }

  @Test
  void invalidRequestIsRefusedBeforeTouchingTheCallersTransaction() throws Exception {
    insertOrder(1);
    assertThatThrownBy(
            () -> spindle.submitAll(caller, List.of(TaskRequest.of("ship", 1).withPriority(5000))))
        .hasMessageContaining("priority");
    caller.commit();
    try (Statement st = caller.createStatement();
        var rs = st.executeQuery("SELECT count(*) FROM " + schema + ".orders")) {
      rs.next();
      assertThat(rs.getInt(1)).as("the caller's own write still committed").isEqualTo(1);
    }
  }
}
