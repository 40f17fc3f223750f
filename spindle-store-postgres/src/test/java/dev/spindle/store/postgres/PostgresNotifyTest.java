package dev.spindle.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.store.ClaimRequest;
import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.store.Outcome;
import dev.spindle.core.task.NewTask;
import dev.spindle.testkit.ManualClock;
import dev.spindle.testkit.store.NewTasks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Idle nodes learn of new due tasks through LISTEN/NOTIFY: one node submits, another is told which
 * queues have work, once per queue per transaction and coalesced on the listening side.
 */
class PostgresNotifyTest {
  /** Longer than any notification takes to arrive here (they take about a millisecond). */
  private static final long QUIET_MILLIS = 300;

  private final ManualClock clock = ManualClock.startingAt2026();
  private PostgresTaskStore listening;
  private PostgresTaskStore submitting;
  private final List<String> woken = new CopyOnWriteArrayList<>();
  private PostgresTaskStore.Subscription subscription;

  @BeforeEach
  void open() throws Exception {
    listening = TestDatabase.openFresh();
    submitting = PostgresTaskStore.open(listening.options());
    subscription = listening.onTasksAvailable(woken::add);
    assertThat(listening.awaitListening(Duration.ofSeconds(5))).isTrue();
  }

  @AfterEach
  void close() {
    if (subscription != null) {
      subscription.close();
    }
    if (listening != null) {
      listening.close();
    }
    if (submitting != null) {
      submitting.close();
    }
    TestDatabase.dropSchemas();
  }

  private NewTasks.Builder task(String queue) {
    return NewTasks.task(queue, clock.instant());
  }

  @Test
  void aSubmitOnOneNodeWakesAnotherWithinMilliseconds() throws Exception {
    int rounds = 21;
    long[] micros = new long[rounds];
    for (int i = 0; i < rounds; i++) {
      CountDownLatch wake = new CountDownLatch(1);
      PostgresTaskStore.Subscription s = listening.onTasksAvailable(q -> wake.countDown());
      try {
        long start = System.nanoTime();
        // A queue of its own per round: a second submit to one queue within 10 ms is announced
        // at the end of those 10 ms (see QueueAnnouncerTest), which is not what this measures.
        submitting.enqueue(List.of(task("mail-" + i).build()));
        assertThat(wake.await(2, TimeUnit.SECONDS)).as("woken within 2 s").isTrue();
        micros[i] = (System.nanoTime() - start) / 1000;
      } finally {
        s.close();
      }
    }
    java.util.Arrays.sort(micros);
    System.out.printf(
        "submit on one node to wake-up on another, %d rounds: median %d µs, max %d µs%n",
        rounds, micros[rounds / 2], micros[rounds - 1]);
  }

  /**
   * A node's own submits wake its own dispatchers as soon as they commit, before enqueue returns,
   * instead of through the database's notification, which comes a round trip later and, for a
   * second submit to a queue within 10 ms, only at the end of those 10 ms.
   */
  @Test
  void aSubmitWakesTheSubmittingNodeBeforeItReturns() throws Exception {
    List<String> own = new CopyOnWriteArrayList<>();
    PostgresTaskStore.Subscription s = submitting.onTasksAvailable(own::add);
    try {
      for (int i = 0; i < 3; i++) {
        own.clear();

        submitting.enqueue(List.of(task("own").build()));

        assertThat(own).as("woken by submit %d", i).contains("own");
      }
      own.clear();
      submitting.enqueue(
          List.of(
              task("later").runAt(clock.instant().plusSeconds(60)).build(), task("own").build()));
      assertThat(own).as("only queues with tasks due now").containsOnly("own");
    } finally {
      s.close();
    }
  }

  @Test
  void submitsInQuickSuccessionAreAllAnnounced() throws Exception {
    for (int i = 0; i < 5; i++) {
      woken.clear();
      submitting.enqueue(List.of(task("steady").build()));
      Wait.until("wake-up " + i, Duration.ofSeconds(2), () -> !woken.isEmpty());
    }
  }

  @Test
  void aBatchAnnouncesEachQueueOnce() throws Exception {
    List<NewTask> batch = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      batch.add(task(i % 2 == 0 ? "mail" : "report").build());
    }

    submitting.enqueue(batch);

    awaitQuiet();
    assertThat(woken).containsExactlyInAnyOrder("mail", "report");
  }

  @Test
  void tasksThatAreNotDueAnnounceNothing() throws Exception {
    long parent = submitting.enqueue(List.of(task("parents").build())).getFirst().id();
    awaitQuiet();
    woken.clear();

    submitting.enqueue(
        List.of(
            task("later").runAt(clock.instant().plusSeconds(60)).build(),
            task("children").dependsOn(List.of(parent)).build()));

    awaitQuiet();
    assertThat(woken).isEmpty();
  }

  @Test
  void aBurstOfSubmitsReachesASlowListenerCoalesced() throws Exception {
    subscription.close();
    CountDownLatch release = new CountDownLatch(1);
    List<String> calls = new CopyOnWriteArrayList<>();
    try (PostgresTaskStore.Subscription slow =
        listening.onTasksAvailable(
            q -> {
              calls.add(q);
              awaitQuietly(release);
            })) {
      int submits = 200;
      for (int i = 0; i < submits; i++) {
        submitting.enqueue(List.of(task("burst").build())); // one transaction, one NOTIFY each
      }
      Wait.until("the first wake-up", Duration.ofSeconds(5), () -> !calls.isEmpty());
      Thread.sleep(QUIET_MILLIS); // the rest of the burst arrives while the listener is busy
      release.countDown();
      awaitQuiet();

      System.out.printf("%d submits reached a busy listener as %d calls%n", submits, calls.size());
      assertThat(calls).hasSizeLessThanOrEqualTo(3).containsOnly("burst");
      assertThat(slow).isNotNull();
    }
  }

  @Test
  void retriesAndPromotionsAnnounceTheirQueues() throws Exception {
    long parent = submitting.enqueue(List.of(task("flaky").maxAttempts(1).build())).getFirst().id();
    submitting.enqueue(List.of(task("merge").dependsOn(List.of(parent)).build()));
    ClaimedTask claimed =
        submitting
            .claim(
                new ClaimRequest("flaky", "w", 1, clock.instant(), clock.instant().plusSeconds(30)))
            .getFirst();
    submitting.complete(
        List.of(new Outcome.Dead(parent, claimed.leaseToken(), "boom", clock.instant())));
    awaitQuiet();
    woken.clear();

    assertThat(submitting.promoteWaiting(100)).isEqualTo(1);
    awaitQuiet();
    assertThat(woken).containsExactly("merge");

    woken.clear();
    submitting.retry(List.of(parent), clock.instant());
    awaitQuiet();
    assertThat(woken).containsExactly("flaky");
  }

  @Test
  void withNotificationsOffNothingIsAnnouncedAndNothingListens() throws Exception {
    try (PostgresTaskStore quiet =
        PostgresTaskStore.open(listening.options().toBuilder().notifications(false).build())) {
      List<String> heard = new CopyOnWriteArrayList<>();
      quiet.onTasksAvailable(heard::add).close();

      quiet.enqueue(List.of(task("silent").build()));

      awaitQuiet();
      assertThat(woken).isEmpty();
      assertThat(heard).isEmpty();
    }
  }

  @Test
  void aClosedSubscriptionIsNotCalledAgain() throws Exception {
    subscription.close();

    submitting.enqueue(List.of(task("mail").build()));

    awaitQuiet();
    assertThat(woken).isEmpty();
  }

  private static void awaitQuiet() throws InterruptedException {
    Thread.sleep(QUIET_MILLIS);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
