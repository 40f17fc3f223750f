package dev.spindle.testkit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.InvalidTaskException;
import dev.spindle.core.NonRetryableException;
import dev.spindle.core.RetryPolicy;
import dev.spindle.core.Spindle;
import dev.spindle.core.SpindleBuilder;
import dev.spindle.core.TaskContext;
import dev.spindle.core.TaskRequest;
import dev.spindle.core.TaskTypeOptions;
import dev.spindle.core.store.CancelResult;
import dev.spindle.core.store.ClaimRequest;
import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.store.EnqueueResult;
import dev.spindle.core.store.IdempotencyConflictException;
import dev.spindle.core.store.Outcome;
import dev.spindle.core.store.RetryResult;
import dev.spindle.core.store.TaskStore;
import dev.spindle.core.task.NewTask;
import dev.spindle.core.task.PageRequest;
import dev.spindle.core.task.TaskInfo;
import dev.spindle.core.task.TaskState;
import dev.spindle.testkit.FaultInjectingStore;
import dev.spindle.testkit.ForwardingTaskStore;
import dev.spindle.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's guarantees, run over a real store. Time moves only through {@link ManualClock}; the
 * engine's background loops are set to intervals longer than any test, and the test runs them once
 * with {@code heartbeatNow()}, {@code watchdogNow()} and {@code maintainNow()}.
 */
public abstract class EngineContract {
  private static final Duration LEASE = Duration.ofMinutes(60);
  private static final Duration NEVER = Duration.ofMinutes(59);
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** A fresh, empty store. */
  protected abstract TaskStore createStore() throws Exception;

  protected final ManualClock clock = ManualClock.startingAt2026();
  protected final EngineEvents events = new EngineEvents();
  private final List<Spindle> open = new ArrayList<>();

  public record Greeting(String name, Instant at) {}

  @AfterEach
  void closeAll() {
    open.forEach(Spindle::close);
  }

  protected SpindleBuilder builder(TaskStore store) {
    return Spindle.builder()
        .store(store)
        .clock(clock)
        .listener(events)
        .workerId("test-worker")
        .leaseDuration(LEASE)
        .heartbeatInterval(NEVER)
        .maintenanceInterval(NEVER)
        .watchdogInterval(NEVER)
        .pollInterval(Duration.ofMillis(20))
        .shutdownTimeout(Duration.ofSeconds(5));
  }

  protected Spindle started(SpindleBuilder b) {
    Spindle s = b.build();
    open.add(s);
    return s.start();
  }

  private Spindle unstarted(SpindleBuilder b) {
    Spindle s = b.build();
    open.add(s);
    return s;
  }

  private TaskInfo awaitFinal(Spindle s, long id) throws Exception {
    return s.awaitFinal(id, WAIT);
  }

  private static void await(CountDownLatch latch) throws InterruptedException {
    assertThat(latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("latch").isTrue();
  }

  @Test
  void submittedTaskRunsAndItsResultIsStored() throws Exception {
    Spindle s =
        started(
            builder(createStore())
                .handler(
                    "greet",
                    Greeting.class,
                    (g, ctx) -> Map.of("text", "hello " + g.name(), "at", g.at())));
    long id = s.submit("greet", new Greeting("ada", Instant.parse("2026-05-01T10:00:00Z")));

    TaskInfo done = awaitFinal(s, id);

    assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(done.attempts()).isEqualTo(1);
    assertThat(done.finishedAt()).isPresent();
    @SuppressWarnings("unchecked")
    Map<String, Object> result = s.result(id, Map.class).orElseThrow();
    assertThat(result)
        .containsEntry("text", "hello ada")
        .containsEntry("at", "2026-05-01T10:00:00Z");
  }

  @Test
  void handlerSeesTaskIdAttemptAndLeaseToken() throws Exception {
    List<TaskContext> seen = new CopyOnWriteArrayList<>();
    Spindle s =
        started(
            builder(createStore())
                .handler(
                    "ctx",
                    String.class,
                    (p, ctx) -> {
                      seen.add(ctx);
                      return null;
                    }));
    long id = s.submit("ctx", "x");
    awaitFinal(s, id);

    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).taskId()).isEqualTo(id);
    assertThat(seen.get(0).attempt()).isEqualTo(1);
    assertThat(seen.get(0).leaseToken()).isPositive();
    assertThat(seen.get(0).payloadJson()).isEqualTo("\"x\"");
  }

  @Test
  void handlerSplitsAJobAndAMergeTaskRunsWhenEveryPartIsDone() throws Exception {
    CountDownLatch partsMayRun = new CountDownLatch(1);
    Spindle s =
        started(
            builder(createStore())
                .handler(
                    "split",
                    Integer.class,
                    (n, ctx) -> {
                      List<TaskRequest> parts = new ArrayList<>();
                      for (int i = 1; i <= n; i++) {
                        parts.add(TaskRequest.of("part", i));
                      }
                      List<Long> ids = ctx.submitAll(parts);
                      return ctx.submit(TaskRequest.of("merge", null).withDependsOn(ids));
                    })
                .handler(
                    "part",
                    Integer.class,
                    (i, ctx) -> {
                      partsMayRun.await(); // so the merge is submitted while its parts run
                      if (i == 3) {
                        throw new NonRetryableException("part 3 fails for good");
                      }
                      return i * 10;
                    })
                .handler(
                    "merge",
                    Object.class,
                    (ignored, ctx) -> {
                      int sum = 0;
                      int failed = 0;
                      for (TaskInfo part : ctx.dependencies()) {
                        if (part.state() == TaskState.SUCCEEDED) {
                          sum += Integer.parseInt(part.resultJson().orElseThrow());
                        } else {
                          failed++;
                        }
                      }
                      return Map.of("sum", sum, "failed", failed);
                    }));
    long split = s.submit("split", 4);
    long merge = s.result(awaitFinal(s, split).id(), Long.class).orElseThrow();
    TaskInfo waiting = s.get(merge).orElseThrow();
    assertThat(waiting.dependsOn()).hasSize(4);
    assertThat(waiting.state()).isEqualTo(TaskState.WAITING);
    partsMayRun.countDown();
    for (long part : waiting.dependsOn()) {
      awaitFinal(s, part);
    }
    assertThat(s.get(merge).orElseThrow().state()).isEqualTo(TaskState.WAITING);

    s.maintainNow(); // promotes tasks whose dependencies are done

    assertThat(awaitFinal(s, merge).state()).isEqualTo(TaskState.SUCCEEDED);
    @SuppressWarnings("unchecked")
    Map<String, Object> result = s.result(merge, Map.class).orElseThrow();
    assertThat(result).containsEntry("sum", 70).containsEntry("failed", 1);
  }

  @Test
  void dependingOnATaskThatDoesNotExistIsRefusedAndWritesNothing() throws Exception {
    Spindle s = started(builder(createStore()).handler("t", String.class, (p, ctx) -> p));
    long real = s.submit("t", "x");

    assertThatThrownBy(
            () ->
                s.submitAll(
                    List.of(
                        TaskRequest.of("t", "a"),
                        TaskRequest.of("t", "b").withDependsOn(real, 999_999L))))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("dependsOn")
        .hasMessageContaining("999999");
    assertThat(s.list(new PageRequest(10, java.util.Optional.empty())).items()).hasSize(1);
  }

  @Test
  void busyCountsRunningAttemptsPerQueueAndPauseIsReported() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Spindle s =
        started(
            builder(createStore())
                .queue("other", 8)
                .handler(
                    "block",
                    String.class,
                    (p, ctx) -> {
                      started.countDown();
                      release.await();
                      return p;
                    }));
    assertThat(s.busy()).containsEntry("default", 0).containsEntry("other", 0);

    long id = s.submit("block", "x");
    await(started);
    assertThat(s.busy()).containsEntry("default", 1).containsEntry("other", 0);
    assertThat(s.pause("other")).isTrue();
    assertThat(s.isPaused("other")).isTrue();
    assertThat(s.isPaused("default")).isFalse();

    release.countDown();
    awaitFinal(s, id);
  }

  @Test
  void aTaskSubmittedToAnIdleQueueStartsFromItsSubmitWithoutAClaim() throws Exception {
    Spindle s =
        started(
            builder(createStore())
                .pollInterval(Duration.ofHours(1))
                .handler("rec", String.class, (p, ctx) -> p));
    // The claim every dispatcher makes on start finds the queue empty; no poll follows for an hour.
    events.await("the first claim", () -> events.claimRounds.get() == 1);

    for (int i = 0; i < 3; i++) {
      long id = s.submit(TaskRequest.of("rec", "x" + i));
      assertThat(awaitFinal(s, id).state()).isEqualTo(TaskState.SUCCEEDED);
    }

    assertThat(events.claimRounds.get()).isEqualTo(1);
  }

  @Test
  void aBatchStartsAsManyTasksAsSlotsAreFreeAndTheRestWaitForClaims() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    Spindle s =
        started(
            builder(createStore())
                .queue("default", 2)
                .handler(
                    "block",
                    String.class,
                    (p, ctx) -> {
                      most.accumulateAndGet(running.incrementAndGet(), Math::max);
                      release.await();
                      running.decrementAndGet();
                      return p;
                    }));
    events.await("the first claim", () -> events.claimRounds.get() == 1);

    List<TaskRequest> batch = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      batch.add(TaskRequest.of("block", "t" + i));
    }
    List<Long> ids = s.submitAll(batch);

    // Started before submitAll returned: the two slots, and nothing beyond them.
    assertThat(s.busy()).containsEntry("default", 2);
    assertThat(s.held()).containsEntry("default", 0);
    assertThat(s.get(ids.get(0)).orElseThrow().state()).isEqualTo(TaskState.RUNNING);
    assertThat(s.get(ids.get(1)).orElseThrow().state()).isEqualTo(TaskState.RUNNING);
    events.await("both started tasks in their handlers", () -> running.get() == 2);
    release.countDown();
    for (long id : ids) {
      assertThat(awaitFinal(s, id).state()).isEqualTo(TaskState.SUCCEEDED);
    }
    assertThat(most.get()).isEqualTo(2);
  }

  @Test
  void aSubmitStartsItsTaskWhileAClaimOfTheQueueIsUnderWay() throws Exception {
    AtomicBoolean holdClaims = new AtomicBoolean();
    CountDownLatch claimOut = new CountDownLatch(1);
    CountDownLatch releaseClaim = new CountDownLatch(1);
    CountDownLatch releaseHandler = new CountDownLatch(1);
    TaskStore store =
        new ForwardingTaskStore(createStore()) {
          @Override
          public List<ClaimedTask> claim(ClaimRequest request) {
            if (holdClaims.get()) {
              claimOut.countDown();
              try {
                releaseClaim.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            return super.claim(request);
          }
        };
    Spindle s =
        started(
            builder(store)
                .pollInterval(Duration.ofHours(1))
                .handler(
                    "block",
                    String.class,
                    (p, ctx) -> {
                      releaseHandler.await();
                      return p;
                    }));
    events.await("the first claim", () -> events.claimRounds.get() == 1);
    try {
      // A claim asks for all the room the dispatcher has and is held in the store.
      holdClaims.set(true);
      s.pollNow();
      assertThat(claimOut.await(10, TimeUnit.SECONDS)).isTrue();

      long id = s.submit(TaskRequest.of("block", "x"));

      // Started by its submit, not left READY for a claim after the one that is out.
      assertThat(s.busy()).containsEntry("default", 1);
      assertThat(s.get(id).orElseThrow().state()).isEqualTo(TaskState.RUNNING);
      releaseHandler.countDown();
      assertThat(awaitFinal(s, id).state()).isEqualTo(TaskState.SUCCEEDED);
    } finally {
      releaseHandler.countDown();
      releaseClaim.countDown();
    }
  }

  @Test
  void higherPriorityRunsFirstThenOlderFirst() throws Exception {
    List<String> order = new CopyOnWriteArrayList<>();
    Spindle s =
        unstarted(
            builder(createStore())
                .queue("default", 1)
                .handler(
                    "rec",
                    String.class,
                    (p, ctx) -> {
                      order.add(p);
                      return null;
                    }));
    List<Long> ids = new ArrayList<>();
    ids.add(s.submit(TaskRequest.of("rec", "low-1").withPriority(-5)));
    ids.add(s.submit(TaskRequest.of("rec", "mid-1")));
    ids.add(s.submit(TaskRequest.of("rec", "high").withPriority(10)));
    ids.add(s.submit(TaskRequest.of("rec", "mid-2")));
    s.start();
    for (long id : ids) {
      awaitFinal(s, id);
    }
    assertThat(order).containsExactly("high", "mid-1", "mid-2", "low-1");
  }

  @Test
  void delayedTaskWaitsForItsTime() throws Exception {
    Spindle s = started(builder(createStore()).handler("rec", String.class, (p, ctx) -> p));
    long id = s.submit(TaskRequest.of("rec", "later").withDelay(Duration.ofMinutes(10)));

    events.awaitFreshClaimRound(s::pollNow);
    assertThat(s.get(id).orElseThrow().state()).isEqualTo(TaskState.SCHEDULED);

    clock.advance(Duration.ofMinutes(10));
    s.pollNow();
    assertThat(awaitFinal(s, id).state()).isEqualTo(TaskState.SUCCEEDED);
  }

  @Test
  void taskNotStartedByItsDeadlineExpiresAndNeverRuns() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    Spindle s =
        unstarted(
            builder(createStore())
                .handler(
                    "rec",
                    String.class,
                    (p, ctx) -> {
                      runs.incrementAndGet();
                      return p;
                    }));
    long late = s.submit(TaskRequest.of("rec", "x").withDeadline(clock.instant().plusSeconds(60)));
    long onTime =
        s.submit(TaskRequest.of("rec", "y").withDeadline(clock.instant().plusSeconds(600)));
    clock.advance(Duration.ofSeconds(61));
    s.start();

    assertThat(awaitFinal(s, onTime).state()).isEqualTo(TaskState.SUCCEEDED);
    s.maintainNow(); // expires it, if claiming did not already
    assertThat(awaitFinal(s, late).state()).isEqualTo(TaskState.EXPIRED);
    assertThat(runs).hasValue(1);
  }

  @Test
  void attemptPastItsTimeoutIsInterruptedAndCountsAsFailed() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    Spindle s =
        started(
            builder(createStore())
                .handler(
                    "hang",
                    String.class,
                    (p, ctx) -> {
                      running.countDown();
                      try {
                        new CountDownLatch(1).await();
                      } catch (InterruptedException e) {
                        interrupted.set(true);
                        throw e;
                      }
                      return null;
                    },
                    TaskTypeOptions.defaults()
                        .withTimeout(Duration.ofSeconds(5))
                        .withRetry(RetryPolicy.DEFAULT.withMaxAttempts(1))));
    long id = s.submit("hang", "x");
    await(running);

    clock.advance(Duration.ofSeconds(4));
    s.watchdogNow();
    assertThat(interrupted).isFalse();
    clock.advance(Duration.ofSeconds(1));
    s.watchdogNow();

    TaskInfo done = awaitFinal(s, id);
    assertThat(interrupted).isTrue();
    assertThat(done.state()).isEqualTo(TaskState.DEAD);
    assertThat(done.lastError()).hasValueSatisfying(e -> assertThat(e).contains("timed out"));
  }

  @Test
  void failedAttemptsRetryWithExponentialBackoffThenSucceed() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    RetryPolicy retry =
        RetryPolicy.DEFAULT
            .withMaxAttempts(5)
            .withBackoff(Duration.ofSeconds(10), 2.0, Duration.ofMinutes(5))
            .withJitter(0);
    Spindle s =
        started(
            builder(createStore())
                .handler(
                    "flaky",
                    String.class,
                    (p, ctx) -> {
                      if (calls.incrementAndGet() < 3) {
                        throw new IllegalStateException("boom " + ctx.attempt());
                      }
                      return "ok";
                    },
                    TaskTypeOptions.defaults().withRetry(retry)));
    Instant t0 = clock.instant();
    long id = s.submit("flaky", "x");

    events.await("first failure", () -> events.finished.get() >= 1);
    TaskInfo afterFirst = s.get(id).orElseThrow();
    assertThat(afterFirst.state()).isEqualTo(TaskState.SCHEDULED);
    assertThat(afterFirst.runAt()).isEqualTo(t0.plusSeconds(10));
    assertThat(afterFirst.lastError()).hasValueSatisfying(e -> assertThat(e).contains("boom 1"));

    clock.advance(Duration.ofSeconds(10));
    s.pollNow();
    events.await("second failure", () -> events.finished.get() >= 2);
    assertThat(s.get(id).orElseThrow().runAt()).isEqualTo(t0.plusSeconds(10 + 20));

    clock.advance(Duration.ofSeconds(20));
    s.pollNow();
    TaskInfo done = awaitFinal(s, id);
    assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(done.attempts()).isEqualTo(3);
  }

  @Test
  void nonRetryableErrorsEndTheTaskAtOnce() throws Exception {
    Spindle s =
        started(
            builder(createStore())
                .handler(
                    "bad",
                    String.class,
                    (p, ctx) -> {
                      throw new NonRetryableException("invalid card number");
                    })
                .handler(
                    "badarg",
                    String.class,
                    (p, ctx) -> {
                      throw new IllegalArgumentException("no such customer");
                    },
                    TaskTypeOptions.defaults().withNonRetryable(IllegalArgumentException.class)));
    TaskInfo a = awaitFinal(s, s.submit("bad", "x"));
    TaskInfo b = awaitFinal(s, s.submit("badarg", "x"));

    assertThat(a.state()).isEqualTo(TaskState.DEAD);
    assertThat(a.attempts()).isEqualTo(1);
    assertThat(a.lastError())
        .hasValueSatisfying(e -> assertThat(e).contains("invalid card number"));
    assertThat(b.state()).isEqualTo(TaskState.DEAD);
    assertThat(b.attempts()).isEqualTo(1);
  }

  @Test
  void deadTaskIsKeptAndCanBeRunAgainByHand() throws Exception {
    AtomicBoolean healthy = new AtomicBoolean(false);
    Spindle s =
        started(
            builder(createStore())
                .handler(
                    "dep",
                    String.class,
                    (p, ctx) -> {
                      if (!healthy.get()) {
                        throw new IllegalStateException("downstream down");
                      }
                      return "done";
                    },
                    TaskTypeOptions.defaults().withRetry(RetryPolicy.DEFAULT.withMaxAttempts(1))));
    long id = s.submit("dep", "x");
    assertThat(awaitFinal(s, id).state()).isEqualTo(TaskState.DEAD);

    healthy.set(true);
    assertThat(s.retry(id)).isEqualTo(RetryResult.REQUEUED);
    TaskInfo done = awaitFinal(s, id);
    assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(s.retry(id)).isEqualTo(RetryResult.NOT_RETRYABLE);
  }

  @Test
  void cancelledWaitingTaskNeverRuns() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    Spindle s =
        unstarted(
            builder(createStore())
                .handler(
                    "rec",
                    String.class,
                    (p, ctx) -> {
                      runs.incrementAndGet();
                      return p;
                    }));
    long cancelled = s.submit("rec", "a");
    long kept = s.submit("rec", "b");
    assertThat(s.cancel(cancelled)).isEqualTo(CancelResult.CANCELLED);
    s.start();

    awaitFinal(s, kept);
    assertThat(s.get(cancelled).orElseThrow().state()).isEqualTo(TaskState.CANCELLED);
    assertThat(runs).hasValue(1);
    assertThat(s.cancel(kept)).isEqualTo(CancelResult.ALREADY_FINISHED);
  }

  @Test
  void runningTaskIsCancelledCooperatively() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    Spindle s =
        started(
            builder(createStore())
                .handler(
                    "long",
                    String.class,
                    (p, ctx) -> {
                      running.countDown();
                      while (true) {
                        ctx.throwIfCancelled();
                        LockSupport.parkNanos(1_000_000); // the handler's own work, step by step
                      }
                    }));
    long id = s.submit("long", "x");
    await(running);

    assertThat(s.cancel(id)).isEqualTo(CancelResult.CANCEL_REQUESTED);
    TaskInfo done = awaitFinal(s, id);
    assertThat(done.state()).isEqualTo(TaskState.CANCELLED);
  }

  @Test
  void cancelOfTaskRunningElsewhereReachesItThroughTheHeartbeat() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    TaskStore store = createStore();
    Spindle worker =
        started(
            builder(store)
                .handler(
                    "long",
                    String.class,
                    (p, ctx) -> {
                      running.countDown();
                      while (!ctx.isCancelled()) {
                        LockSupport.parkNanos(1_000_000);
                      }
                      throw new IllegalStateException("stopped on request");
                    }));
    long id = worker.submit("long", "x");
    await(running);

    // An operator elsewhere sets the flag in the store; only the heartbeat tells the worker.
    assertThat(store.cancel(List.of(id), clock.instant()))
        .containsExactly(CancelResult.CANCEL_REQUESTED);
    worker.heartbeatNow();
    assertThat(awaitFinal(worker, id).state()).isEqualTo(TaskState.CANCELLED);
  }

  @Test
  void idempotencyKeyReturnsTheExistingTaskOrRefusesADifferentOne() throws Exception {
    Spindle s = unstarted(builder(createStore()).handler("rec", String.class, (p, ctx) -> p));
    long first = s.submit(TaskRequest.of("rec", "order-1").withIdempotencyKey("k-1"));
    long again = s.submit(TaskRequest.of("rec", "order-1").withIdempotencyKey("k-1"));
    assertThat(again).isEqualTo(first);

    assertThatThrownBy(() -> s.submit(TaskRequest.of("rec", "order-2").withIdempotencyKey("k-1")))
        .isInstanceOf(IdempotencyConflictException.class)
        .hasMessageContaining("k-1")
        .hasMessageContaining(String.valueOf(first));
    assertThat(s.list(PageRequest.first(10)).items()).hasSize(1);
  }

  @Test
  void invalidRequestsAreRefusedWithAClearMessageAndWriteNothing() throws Exception {
    Spindle s = unstarted(builder(createStore()).handler("rec", String.class, (p, ctx) -> p));
    Instant now = clock.instant();

    assertInvalid(s, TaskRequest.of(null, "x"), "type", "required");
    assertInvalid(s, TaskRequest.of("bad type!", "x"), "type", "letters, digits");
    assertInvalid(s, TaskRequest.of("rec", "x").withQueue(""), "queue", "required");
    assertInvalid(s, TaskRequest.of("rec", "x").withPriority(5000), "priority", "-1000 and 1000");
    assertInvalid(s, TaskRequest.of("rec", "x").withMaxAttempts(0), "maxAttempts", "between 1");
    assertInvalid(
        s, TaskRequest.of("rec", "x").withDeadline(now.minusSeconds(1)), "deadline", "past");
    assertInvalid(
        s,
        TaskRequest.of("rec", "x").withRunAt(now.plusSeconds(60)).withDeadline(now.plusSeconds(30)),
        "deadline",
        "after runAt");
    assertInvalid(
        s, TaskRequest.of("rec", "x").withDelay(Duration.ofSeconds(-1)), "delay", "negative");
    assertInvalid(
        s, TaskRequest.of("rec", "x").withIdempotencyKey("k".repeat(256)), "idempotencyKey", "255");
    assertInvalid(s, TaskRequest.of("rec", new Object()), "payload", "cannot be written as JSON");
    assertInvalid(s, TaskRequest.ofJson("rec", "{\"a\":"), "payload", "not valid JSON");
    assertInvalid(s, TaskRequest.ofJson("rec", "{} {}"), "payload", "not valid JSON");

    assertThatThrownBy(
            () ->
                s.submitAll(
                    List.of(
                        TaskRequest.of("rec", "fine"),
                        TaskRequest.of("rec", "x").withPriority(-2000))))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("tasks[1].priority");
    assertThat(s.list(PageRequest.first(10)).items()).isEmpty();
  }

  private static void assertInvalid(Spindle s, TaskRequest r, String field, String says) {
    assertThatThrownBy(() -> s.submit(r))
        .isInstanceOfSatisfying(
            InvalidTaskException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageContaining(says);
  }

  @Test
  void workerThatLostItsLeaseStopsAndCannotCompleteTheTask() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch firstRunEnded = new CountDownLatch(1);
    AtomicBoolean sawCancel = new AtomicBoolean();
    AtomicInteger calls = new AtomicInteger();
    Spindle s =
        started(
            builder(createStore())
                .handler(
                    "hold",
                    String.class,
                    (p, ctx) -> {
                      if (calls.incrementAndGet() > 1) {
                        return "second run";
                      }
                      running.countDown();
                      try {
                        new CountDownLatch(1).await();
                      } catch (InterruptedException e) {
                        sawCancel.set(ctx.isCancelled());
                      } finally {
                        firstRunEnded.countDown();
                      }
                      return "first run, too late";
                    }));
    long id = s.submit("hold", "x");
    await(running);

    // No heartbeat for longer than the lease: the rescuer hands the task back to the queue.
    clock.advance(LEASE.plusSeconds(1));
    s.maintainNow();
    // The next heartbeat learns the lease is gone and stops the attempt; the rescued task runs
    // again.
    s.heartbeatNow();
    TaskInfo done = awaitFinal(s, id);
    await(firstRunEnded); // the rescued run may finish before the stopped one has unwound

    assertThat(sawCancel).isTrue();
    assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(done.attempts()).isEqualTo(2);
    assertThat(s.result(id, String.class)).hasValue("second run");
    assertThat(events.leasesLost.get()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void heartbeatKeepsALongTaskLeasedPastItsFirstLease() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Spindle s =
        started(
            builder(createStore())
                .handler(
                    "long",
                    String.class,
                    (p, ctx) -> {
                      running.countDown();
                      release.await();
                      return "done";
                    }));
    long id = s.submit("long", "x");
    await(running);

    for (int i = 0; i < 5; i++) {
      clock.advance(LEASE.dividedBy(2));
      s.heartbeatNow();
      s.maintainNow();
      s.watchdogNow();
    }
    assertThat(s.get(id).orElseThrow().state()).isEqualTo(TaskState.RUNNING);

    release.countDown();
    TaskInfo done = awaitFinal(s, id);
    assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(done.attempts()).isEqualTo(1);
  }

  @Test
  void workerCutOffFromItsStoreLongerThanTheLeaseStopsItsAttempts() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    FaultInjectingStore store = new FaultInjectingStore(createStore());
    Spindle s =
        started(
            builder(store)
                .handler(
                    "hold",
                    String.class,
                    (p, ctx) -> {
                      running.countDown();
                      try {
                        new CountDownLatch(1).await();
                      } catch (InterruptedException e) {
                        stopped.countDown();
                      }
                      return null;
                    }));
    long id = s.submit("hold", "x");
    await(running);

    store.unreachable(true);
    clock.advance(LEASE.dividedBy(2));
    s.heartbeatNow();
    assertThat(stopped.getCount()).as("still within its lease").isEqualTo(1);
    clock.advance(LEASE.dividedBy(2).plusSeconds(1));
    s.heartbeatNow();

    await(stopped);
    events.await("lease given up", () -> events.leasesLost.get() >= 1);
    // It reported nothing: the task waits, still leased, for the rescuer.
    assertThat(s.get(id).orElseThrow().state()).isEqualTo(TaskState.RUNNING);
  }

  @Test
  void progressReportedByTheHandlerIsStoredWithTheHeartbeat() throws Exception {
    CountDownLatch reported = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Spindle s =
        started(
            builder(createStore())
                .handler(
                    "steps",
                    String.class,
                    (p, ctx) -> {
                      ctx.reportProgress(Map.of("done", 3, "of", 10));
                      reported.countDown();
                      release.await();
                      return null;
                    }));
    long id = s.submit("steps", "x");
    await(reported);
    s.heartbeatNow();

    assertThat(s.get(id).orElseThrow().progress())
        .hasValueSatisfying(p -> assertThat(p).contains("\"done\":3").contains("\"of\":10"));
    release.countDown();
    awaitFinal(s, id);
  }

  @Test
  void closeWaitsForRunningTasksThenReleasesTheRestUncounted() throws Exception {
    CountDownLatch running = new CountDownLatch(2);
    TaskStore store = createStore();
    Spindle s =
        started(
            builder(store)
                .shutdownTimeout(Duration.ofMillis(300))
                .handler(
                    "quick",
                    String.class,
                    (p, ctx) -> {
                      running.countDown();
                      LockSupport.parkNanos(50_000_000); // finishes within the grace period
                      return "quick done";
                    })
                .handler(
                    "stuck",
                    String.class,
                    (p, ctx) -> {
                      running.countDown();
                      new CountDownLatch(1).await(); // only an interrupt ends it
                      return null;
                    }));
    long quick = s.submit("quick", "x");
    long stuck = s.submit("stuck", "x");
    await(running);

    s.close(); // closes the store too: read the outcome from the same data, opened again
    List<TaskInfo> after = reopenAndGet(store, List.of(quick, stuck));
    assertThat(after.get(0).state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(after.get(1).state()).isEqualTo(TaskState.READY);
    assertThat(after.get(1).attempts()).as("a released attempt is not counted").isZero();
  }

  private List<TaskInfo> reopenAndGet(TaskStore closedStore, List<Long> ids) throws Exception {
    TaskStore fresh = reopen(closedStore);
    try {
      List<TaskInfo> out = new ArrayList<>();
      for (long id : ids) {
        out.add(fresh.get(id).orElseThrow());
      }
      return out;
    } finally {
      fresh.close();
    }
  }

  /** Opens the same data again after {@code closed} was closed. */
  protected abstract TaskStore reopen(TaskStore closed) throws Exception;

  /**
   * A worker with one slot whose quick handlers have taught it to claim ahead: "block" holds the
   * slot, "quick" records each attempt it runs. {@link #claimAheadBehindABlockedSlot} then leaves
   * three quick tasks claimed ahead (leased, RUNNING in the store) behind the blocked one.
   */
  private final class ClaimAhead {
    final CountDownLatch blockStarted = new CountDownLatch(1);
    final CountDownLatch unblock = new CountDownLatch(1);
    final List<String> ran = new CopyOnWriteArrayList<>();
    final List<Outcome> written = new CopyOnWriteArrayList<>();
    final TaskStore inner;
    final Spindle s;
    long blocker;
    List<Long> quick = new ArrayList<>();

    ClaimAhead() throws Exception {
      this(claimed -> {});
    }

    /**
     * @param afterClaim sees what each claim got, and what each submit started, before the
     *     dispatcher does
     */
    ClaimAhead(Consumer<List<ClaimedTask>> afterClaim) throws Exception {
      inner = createStore();
      TaskStore store =
          new ForwardingTaskStore(inner) {
            @Override
            public List<ClaimedTask> claim(ClaimRequest request) {
              List<ClaimedTask> claimed = super.claim(request);
              afterClaim.accept(claimed);
              return claimed;
            }

            @Override
            public EnqueueResult enqueueAndStart(List<NewTask> tasks, ClaimRequest start) {
              EnqueueResult result = super.enqueueAndStart(tasks, start);
              afterClaim.accept(result.started());
              return result;
            }

            @Override
            public List<Long> complete(List<Outcome> outcomes) {
              written.addAll(outcomes);
              return super.complete(outcomes);
            }
          };
      s =
          started(
              builder(store)
                  .queue("default", 1)
                  .shutdownTimeout(Duration.ofMillis(300))
                  .handler(
                      "quick",
                      String.class,
                      (p, ctx) -> {
                        ran.add(p + "#" + ctx.attempt());
                        return p;
                      })
                  .handler(
                      "block",
                      String.class,
                      (p, ctx) -> {
                        blockStarted.countDown();
                        unblock.await();
                        return p;
                      }));
    }

    void claimAheadBehindABlockedSlot() throws Exception {
      awaitFinal(s, s.submit("quick", "warm-up")); // a handler time: claiming ahead starts
      blocker = s.submit("block", "b");
      await(blockStarted);
      for (String name : List.of("q1", "q2", "q3")) {
        quick.add(s.submit("quick", name));
      }
      events.await("three tasks claimed ahead", () -> allQuickIn(TaskState.RUNNING));
      // RUNNING in the store is the claim's commit; the dispatcher holds them once it lands.
      events.await("three tasks held", () -> s.held().get("default") == 3);
      assertThat(s.busy()).as("tasks claimed ahead are not running").containsEntry("default", 1);
    }

    boolean allQuickIn(TaskState state) {
      return quick.stream().allMatch(id -> s.get(id).orElseThrow().state() == state);
    }

    List<Long> releasedIds() {
      return written.stream().filter(o -> o instanceof Outcome.Released).map(Outcome::id).toList();
    }
  }

  @Test
  void tasksClaimedAheadRunOnceEachAsTheSlotFrees() throws Exception {
    ClaimAhead w = new ClaimAhead();
    w.claimAheadBehindABlockedSlot();
    assertThat(w.ran).containsExactly("warm-up#1");

    w.unblock.countDown();
    for (long id : w.quick) {
      assertThat(awaitFinal(w.s, id).state()).isEqualTo(TaskState.SUCCEEDED);
    }
    assertThat(w.ran).containsExactly("warm-up#1", "q1#1", "q2#1", "q3#1");
    assertThat(w.releasedIds()).isEmpty();
  }

  @Test
  void taskOfHigherPriorityClaimedAfterOthersWereClaimedAheadStartsBeforeThem() throws Exception {
    ClaimAhead w = new ClaimAhead();
    w.claimAheadBehindABlockedSlot();
    long urgent = w.s.submit(TaskRequest.of("quick", "urgent").withPriority(5));
    events.await("the urgent task held too", () -> w.s.held().get("default") == 4);
    assertThat(w.s.get(urgent).orElseThrow().state()).isEqualTo(TaskState.RUNNING);
    assertThat(w.ran).containsExactly("warm-up#1");

    w.unblock.countDown();
    for (long id : w.quick) {
      assertThat(awaitFinal(w.s, id).state()).isEqualTo(TaskState.SUCCEEDED);
    }
    assertThat(awaitFinal(w.s, urgent).state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(w.ran)
        .as("held tasks start in claim order, whichever claim brought them")
        .containsExactly("warm-up#1", "urgent#1", "q1#1", "q2#1", "q3#1");
  }

  @Test
  void pausingGivesTasksClaimedAheadBackUncounted() throws Exception {
    ClaimAhead w = new ClaimAhead();
    w.claimAheadBehindABlockedSlot();

    w.s.pause("default");
    events.await("tasks claimed ahead given back", () -> w.allQuickIn(TaskState.READY));
    for (long id : w.quick) {
      assertThat(w.s.get(id).orElseThrow().attempts()).as("given back unrun").isZero();
    }
    assertThat(w.s.get(w.blocker).orElseThrow().state()).isEqualTo(TaskState.RUNNING);

    w.s.resume("default");
    w.unblock.countDown();
    for (long id : w.quick) {
      assertThat(awaitFinal(w.s, id).state()).isEqualTo(TaskState.SUCCEEDED);
    }
    assertThat(w.ran).containsExactly("warm-up#1", "q1#1", "q2#1", "q3#1");
  }

  @Test
  void cancellingATaskClaimedAheadCancelsItUnrun() throws Exception {
    ClaimAhead w = new ClaimAhead();
    w.claimAheadBehindABlockedSlot();

    assertThat(w.s.cancel(w.quick.get(1))).isEqualTo(CancelResult.CANCEL_REQUESTED);
    assertThat(awaitFinal(w.s, w.quick.get(1)).state()).isEqualTo(TaskState.CANCELLED);

    w.unblock.countDown();
    assertThat(awaitFinal(w.s, w.quick.get(2)).state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(w.ran).containsExactly("warm-up#1", "q1#1", "q3#1");
  }

  @Test
  void taskClaimedAheadWithHalfItsLeaseGoneIsGivenBackAndRunsUnderAFreshLease() throws Exception {
    ClaimAhead w = new ClaimAhead();
    w.claimAheadBehindABlockedSlot();

    clock.advance(LEASE.dividedBy(2).plusSeconds(1)); // nobody renews a lease in the buffer
    w.unblock.countDown();
    for (long id : w.quick) {
      assertThat(awaitFinal(w.s, id).state()).isEqualTo(TaskState.SUCCEEDED);
    }
    // A claim that read the clock before it moved, and landed after the tasks were given back, got
    // them under a lease already half gone, so it gave them back again: at least once each.
    assertThat(Set.copyOf(w.releasedIds())).containsExactlyInAnyOrderElementsOf(w.quick);
    // The given-back tasks are claimed again while they turn READY, possibly by two claims under
    // way at once, which may land in either order: so each ran once, in no promised order.
    assertThat(w.ran)
        .as("each ran once, as its first counted attempt")
        .containsExactlyInAnyOrder("warm-up#1", "q1#1", "q2#1", "q3#1");
  }

  @Test
  void taskFromAClaimThatCameBackWithHalfItsLeaseGoneIsGivenBackAndRunsUnderAFreshLease()
      throws Exception {
    AtomicBoolean late = new AtomicBoolean(true);
    ClaimAhead w =
        new ClaimAhead(
            claimed -> {
              if (!claimed.isEmpty() && late.getAndSet(false)) {
                clock.advance(LEASE.dividedBy(2).plusSeconds(1)); // the first claim came back late
              }
            });

    long id = w.s.submit("quick", "late");

    assertThat(awaitFinal(w.s, id).state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(w.releasedIds()).containsExactly(id);
    assertThat(w.ran).as("run once, as its first counted attempt").containsExactly("late#1");
  }

  @Test
  void closingGivesTasksClaimedAheadBackUncounted() throws Exception {
    ClaimAhead w = new ClaimAhead();
    w.claimAheadBehindABlockedSlot();

    w.s.close(); // the blocked task is interrupted after the grace period and released too
    List<Long> all = new ArrayList<>(w.quick);
    all.add(w.blocker);
    for (TaskInfo t : reopenAndGet(w.inner, all)) {
      assertThat(t.state()).as("neither run nor lost").isEqualTo(TaskState.READY);
      assertThat(t.attempts()).as("given back uncounted").isZero();
    }
    assertThat(w.ran).containsExactly("warm-up#1");
  }

  @Test
  void slowHandlersAreNotClaimedAhead() throws Exception {
    List<Integer> asked = new CopyOnWriteArrayList<>();
    TaskStore store =
        new ForwardingTaskStore(createStore()) {
          @Override
          public List<ClaimedTask> claim(ClaimRequest request) {
            asked.add(request.max());
            return super.claim(request);
          }
        };
    Spindle s =
        started(
            builder(store)
                .queue("default", 1)
                .handler(
                    "slow",
                    String.class,
                    (p, ctx) -> {
                      LockSupport.parkNanos(250_000_000); // over the 100 ms budget of one slot
                      return p;
                    }));
    awaitFinal(s, s.submit("slow", "learn the handler time"));
    asked.clear();
    List<Long> ids = s.submitAll(List.of(TaskRequest.of("slow", "a"), TaskRequest.of("slow", "b")));
    for (long id : ids) {
      assertThat(awaitFinal(s, id).state()).isEqualTo(TaskState.SUCCEEDED);
    }
    assertThat(asked)
        .as("claims never ask for more than the free slot")
        .isNotEmpty()
        .containsOnly(1);
  }

  @Test
  void unknownTaskTypeFailsWithAMessageNamingTheRegisteredOnes() throws Exception {
    Spindle s = started(builder(createStore()).handler("known", String.class, (p, ctx) -> p));
    long id = s.submit("unknown-type", "x");
    TaskInfo done = awaitFinal(s, id);
    assertThat(done.state()).isEqualTo(TaskState.DEAD);
    assertThat(done.lastError())
        .hasValueSatisfying(e -> assertThat(e).contains("unknown-type").contains("known"));
  }

  @Test
  void payloadThatDoesNotFitTheHandlerTypeFailsForGood() throws Exception {
    Spindle s = started(builder(createStore()).handler("greet", Greeting.class, (g, ctx) -> g));
    long id = s.submit(TaskRequest.ofJson("greet", "{\"name\": 42, \"nope\": true}"));
    TaskInfo done = awaitFinal(s, id);
    assertThat(done.state()).isEqualTo(TaskState.DEAD);
    assertThat(done.attempts()).isEqualTo(1);
    assertThat(done.lastError())
        .hasValueSatisfying(e -> assertThat(e).contains("cannot be read as").contains("Greeting"));
  }

  @Test
  void manyTasksAllRunExactlyOnceUnderConcurrency() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    Spindle s =
        started(
            builder(createStore())
                .queue("default", 32)
                .handler(
                    "count",
                    Integer.class,
                    (p, ctx) -> {
                      runs.incrementAndGet();
                      return p;
                    }));
    List<TaskRequest> batch = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      batch.add(TaskRequest.of("count", i));
    }
    List<Long> ids = s.submitAll(batch);
    for (long id : ids) {
      assertThat(awaitFinal(s, id).state()).isEqualTo(TaskState.SUCCEEDED);
    }
    assertThat(runs).hasValue(2000);
  }
}
