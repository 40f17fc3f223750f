package dev.spindle.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.store.ClaimRequest;
import dev.spindle.core.store.Enqueued;
import dev.spindle.core.store.IdempotencyConflictException;
import dev.spindle.core.task.NewTask;
import dev.spindle.testkit.ManualClock;
import dev.spindle.testkit.store.NewTasks;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tasks written through the caller's connection exist if and only if the caller commits. */
class PostgresTransactionalEnqueueTest {
  private final ManualClock clock = ManualClock.startingAt2026();
  private PostgresTaskStore store;
  private Connection caller;

  @BeforeEach
  void open() throws Exception {
    store = TestDatabase.openFresh();
    caller = TestDatabase.connect();
    try (Statement st = caller.createStatement()) {
      st.execute("CREATE TABLE " + store.options().schema() + ".orders (id int PRIMARY KEY)");
    }
    caller.setAutoCommit(false);
  }

  @AfterEach
  void close() throws Exception {
    if (caller != null) {
      caller.close();
    }
    if (store != null) {
      store.close();
    }
    TestDatabase.dropSchemas();
  }

  private NewTasks.Builder task() {
    return NewTasks.task("default", clock.instant());
  }

  private int claimAll() {
    return store
        .claim(
            new ClaimRequest("default", "w", 100, clock.instant(), clock.instant().plusSeconds(30)))
        .size();
  }

  @Test
  void committedTasksAreVisibleAndClaimableWithTheCallersOwnRows() throws Exception {
    insertOrder(1);
    List<Enqueued> written = store.enqueue(caller, List.of(task().build(), task().build()));

    assertThat(store.get(written.getFirst().id())).as("invisible before commit").isEmpty();
    assertThat(claimAll()).isZero();

    caller.commit();

    assertThat(written).allMatch(Enqueued::created);
    assertThat(store.get(written.stream().map(Enqueued::id).toList())).hasSize(2);
    assertThat(claimAll()).isEqualTo(2);
    assertThat(countOrders()).isEqualTo(1);
  }

  @Test
  void rolledBackTasksNeverExist() throws Exception {
    insertOrder(1);
    List<Enqueued> written = store.enqueue(caller, List.of(task().build()));

    caller.rollback();

    assertThat(store.get(written.getFirst().id())).isEmpty();
    assertThat(claimAll()).isZero();
    assertThat(countOrders()).isZero();
  }

  @Test
  void aFailedEnqueueLeavesTheCallersTransactionUsable() throws Exception {
    store.enqueue(List.of(task().idempotencyKey("k").payload("1").build()));
    insertOrder(7);

    NewTask conflicting = task().idempotencyKey("k").payload("2").build();
    assertThatThrownBy(() -> store.enqueue(caller, List.of(task().build(), conflicting)))
        .isInstanceOf(IdempotencyConflictException.class);
    insertOrder(8);
    caller.commit();

    assertThat(countOrders()).as("the caller's rows before and after the failure").isEqualTo(2);
    assertThat(claimAll()).as("only the task stored before").isEqualTo(1);
  }

  @Test
  void aConnectionInAutoCommitModeIsRefused() throws Exception {
    caller.setAutoCommit(true);

    assertThatThrownBy(() -> store.enqueue(caller, List.of(task().build())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("setAutoCommit(false)");
  }

  @Test
  void committedDueTasksWakeListenersOnceAndRolledBackOnesNever() throws Exception {
    List<String> woken = new CopyOnWriteArrayList<>();
    PostgresTaskStore.Subscription subscription = store.onTasksAvailable(woken::add);
    try {
      assertThat(store.awaitListening(Duration.ofSeconds(5))).isTrue();
      store.enqueue(caller, List.of(task().build()));
      caller.rollback();
      for (int i = 0; i < 20; i++) {
        store.enqueue(caller, List.of(task().build()));
      }
      caller.commit();

      Wait.until("a wake-up", Duration.ofSeconds(5), () -> !woken.isEmpty());
      Thread.sleep(200); // a second notification would arrive well within this
      assertThat(woken).containsExactly("default");
    } finally {
      subscription.close();
    }
  }

  private void insertOrder(int id) throws Exception {
    try (Statement st = caller.createStatement()) {
      st.executeUpdate("INSERT INTO " + store.options().schema() + ".orders VALUES (" + id + ")");
    }
  }

  private int countOrders() throws Exception {
    try (Connection c = TestDatabase.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT count(*) FROM " + store.options().schema() + ".orders")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
