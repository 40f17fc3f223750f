package dev.spindle.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.store.ClaimRequest;
import dev.spindle.testkit.ManualClock;
import dev.spindle.testkit.store.NewTasks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two nodes on one schema: one runs maintenance; when it goes away, the other takes over. */
class PostgresMaintenanceElectionTest {
  private static final Duration LEASE = Duration.ofSeconds(30);

  private final ManualClock clock = ManualClock.startingAt2026();
  private PostgresTaskStore first;
  private PostgresTaskStore second;

  @BeforeEach
  void open() {
    first = TestDatabase.openFresh();
    second = PostgresTaskStore.open(first.options());
  }

  @AfterEach
  void close() {
    if (first != null) {
      first.close();
    }
    if (second != null) {
      second.close();
    }
    TestDatabase.dropSchemas();
  }

  private long expiredLease() {
    Instant now = clock.instant();
    long id = first.enqueue(List.of(NewTasks.task("default", now).build())).getFirst().id();
    first.claim(new ClaimRequest("default", "crashed", 1, now, now.plus(LEASE)));
    clock.advance(LEASE.plusSeconds(1));
    return id;
  }

  @Test
  void theFirstNodeToAskLeadsAndTheOtherDoesNoMaintenance() {
    long id = expiredLease();

    assertThat(first.leadsMaintenance()).isTrue();
    assertThat(second.leadsMaintenance()).isFalse();
    assertThat(second.rescueExpired(clock.instant(), 100).total()).isZero();
    assertThat(second.expireOverdue(clock.instant(), 100)).isZero();
    assertThat(second.promoteWaiting(100)).isZero();
    assertThat(second.purgeFinished(clock.instant(), 100)).isZero();
    assertThat(first.rescueExpired(clock.instant(), 100).requeued()).containsExactly(id);
  }

  @Test
  void whenTheLeadersSessionDiesAnotherNodeTakesOverOnItsNextPass() throws Exception {
    long id = expiredLease();
    assertThat(first.leadsMaintenance()).isTrue();
    assertThat(second.rescueExpired(clock.instant(), 100).total()).isZero();

    terminateBackend(first.maintenanceBackendPid()); // as if the leader's host died

    Wait.until("the second node to lead", Duration.ofSeconds(10), second::leadsMaintenance);
    assertThat(second.rescueExpired(clock.instant(), 100).requeued()).containsExactly(id);
    Wait.until(
        "the first node to notice it lost the lead",
        Duration.ofSeconds(10),
        () -> !first.leadsMaintenance());
    assertThat(first.rescueExpired(clock.instant(), 100).total()).isZero();
  }

  @Test
  void closingTheLeaderHandsMaintenanceOverAtOnce() {
    assertThat(first.leadsMaintenance()).isTrue();

    first.close();

    assertThat(second.leadsMaintenance()).isTrue();
  }

  @Test
  void storesOfDifferentSchemasEachHaveTheirOwnLeader() {
    try (PostgresTaskStore elsewhere = TestDatabase.openFresh()) {
      assertThat(first.leadsMaintenance()).isTrue();
      assertThat(elsewhere.leadsMaintenance()).isTrue();
    }
  }

  private static void terminateBackend(int pid) throws Exception {
    assertThat(pid).as("the leader's backend").isPositive();
    try (Connection c = TestDatabase.connect();
        PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
      ps.setInt(1, pid);
      ps.execute();
    }
  }
}
