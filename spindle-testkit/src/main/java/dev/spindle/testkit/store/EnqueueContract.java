package dev.spindle.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.store.Enqueued;
import dev.spindle.core.store.IdempotencyConflictException;
import dev.spindle.core.task.NewTask;
import dev.spindle.core.task.PageRequest;
import dev.spindle.core.task.TaskFilter;
import dev.spindle.core.task.TaskInfo;
import dev.spindle.core.task.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Writing tasks: every field kept, batches all or nothing, idempotency keys. */
public abstract class EnqueueContract extends StoreContract {

  @Test
  public void enqueuedTaskKeepsEveryFieldAsGiven() {
    Instant runAt = now().plusSeconds(60);
    Instant deadline = now().plusSeconds(3600);
    NewTask task =
        task()
            .type("email.send")
            .payload("{\"to\":\"a@example.com\"}")
            .priority(7)
            .runAt(runAt)
            .deadline(deadline)
            .maxAttempts(5)
            .timeout(Duration.ofSeconds(12))
            .idempotencyKey("welcome-mail-42")
            .build();

    long id = store.enqueue(List.of(task)).getFirst().id();

    TaskInfo info = info(id);
    assertThat(info.type()).isEqualTo("email.send");
    assertThat(info.queue()).isEqualTo(QUEUE);
    assertThat(info.state()).isEqualTo(TaskState.READY);
    assertThat(info.priority()).isEqualTo(7);
    assertThat(info.payloadJson()).isEqualTo("{\"to\":\"a@example.com\"}");
    assertThat(info.resultJson()).isEmpty();
    assertThat(info.lastError()).isEmpty();
    assertThat(info.attempts()).isZero();
    assertThat(info.maxAttempts()).isEqualTo(5);
    assertThat(info.createdAt()).isEqualTo(now());
    assertThat(info.runAt()).isEqualTo(runAt);
    assertThat(info.deadline()).contains(deadline);
    assertThat(info.startedAt()).isEmpty();
    assertThat(info.finishedAt()).isEmpty();
    assertThat(info.idempotencyKey()).contains("welcome-mail-42");
    assertThat(info.progress()).isEmpty();
    assertThat(info.leaseOwner()).isEmpty();
    assertThat(info.cancelRequested()).isFalse();
  }

  @Test
  public void timesKeepTheirMillisecondsFarAhead() {
    Instant runAt = Instant.parse("2199-12-31T23:59:59.987Z");
    Instant deadline = Instant.parse("2200-01-01T00:00:00.001Z");

    long id = enqueue(task().runAt(runAt).deadline(deadline));

    assertThat(info(id).runAt()).isEqualTo(runAt);
    assertThat(info(id).deadline()).contains(deadline);
  }

  @Test
  public void getReportsTheStoredStateReadyForATaskScheduledLater() {
    long id = enqueue(task().runAt(now().plusSeconds(60)));

    assertThat(info(id).state()).isEqualTo(TaskState.READY);
    assertThat(info(id).asOf(now()).state()).isEqualTo(TaskState.SCHEDULED);
  }

  @Test
  public void batchGetsOneResultPerTaskInInputOrderWithIncreasingIds() {
    List<Enqueued> results =
        store.enqueue(
            List.of(task().payload("1").build(), task().payload("2").build(), task().build()));

    assertThat(results).hasSize(3).allMatch(Enqueued::created);
    assertThat(results.get(0).id()).isLessThan(results.get(1).id());
    assertThat(results.get(1).id()).isLessThan(results.get(2).id());
    assertThat(info(results.get(0).id()).payloadJson()).isEqualTo("1");
    assertThat(info(results.get(1).id()).payloadJson()).isEqualTo("2");
  }

  @Test
  public void idsIncreaseAcrossBatches() {
    long first = enqueue(task());
    long second = enqueue(task());

    assertThat(second).isGreaterThan(first);
  }

  @Test
  public void emptyBatchWritesNothing() {
    assertThat(store.enqueue(List.of())).isEmpty();
    assertThat(countAll()).isZero();
  }

  @Test
  public void getLeavesOutUnknownIdsAndKeepsInputOrder() {
    long a = enqueue(task());
    long b = enqueue(task());

    assertThat(store.get(List.of(b, 987_654L, a))).extracting(TaskInfo::id).containsExactly(b, a);
    assertThat(store.get(987_654L)).isEmpty();
  }

  @Test
  public void tasksWithoutAKeyAreNeverDeduplicated() {
    long a = enqueue(task());
    long b = enqueue(task());

    assertThat(a).isNotEqualTo(b);
    assertThat(countAll()).isEqualTo(2);
  }

  @Test
  public void resubmittingAKeyWithTheSameBodyReturnsTheExistingTask() {
    Enqueued first = store.enqueue(List.of(task().idempotencyKey("k").build())).getFirst();
    Enqueued again = store.enqueue(List.of(task().idempotencyKey("k").build())).getFirst();

    assertThat(first.created()).isTrue();
    assertThat(again).isEqualTo(new Enqueued(first.id(), false));
    assertThat(countAll()).isEqualTo(1);
  }

  @Test
  public void reusingAKeyWithADifferentBodyIsAConflictNamingTheTaskThatHoldsIt() {
    long holder = enqueue(task().idempotencyKey("k").payload("{\"n\":1}"));

    assertThatThrownBy(() -> enqueue(task().idempotencyKey("k").payload("{\"n\":2}")))
        .isInstanceOfSatisfying(
            IdempotencyConflictException.class,
            e -> {
              assertThat(e.idempotencyKey()).isEqualTo("k");
              assertThat(e.existingId()).isEqualTo(holder);
            });
    assertThat(info(holder).payloadJson()).isEqualTo("{\"n\":1}");
  }

  @Test
  public void batchWithAConflictingKeyWritesNothing() {
    enqueue(task().idempotencyKey("k").payload("{\"n\":1}"));

    assertThatThrownBy(
            () ->
                store.enqueue(
                    List.of(
                        task().payload("fresh").build(),
                        task().idempotencyKey("other").build(),
                        task().idempotencyKey("k").payload("{\"n\":2}").build())))
        .isInstanceOf(IdempotencyConflictException.class);

    assertThat(countAll()).isEqualTo(1);
    assertThat(enqueueKeyed("other").created())
        .as("the key of the failed batch is still free")
        .isTrue();
  }

  @Test
  public void repeatedKeyInsideABatchWithTheSameBodyYieldsOneTask() {
    List<Enqueued> results =
        store.enqueue(
            List.of(
                task().idempotencyKey("k").build(),
                task().payload("other").build(),
                task().idempotencyKey("k").build()));

    assertThat(results.get(0).created()).isTrue();
    assertThat(results.get(2)).isEqualTo(new Enqueued(results.get(0).id(), false));
    assertThat(countAll()).isEqualTo(2);
  }

  @Test
  public void repeatedKeyInsideABatchWithDifferentBodiesIsAConflictAndWritesNothing() {
    assertThatThrownBy(
            () ->
                store.enqueue(
                    List.of(
                        task().idempotencyKey("k").payload("1").build(),
                        task().idempotencyKey("k").payload("2").build())))
        .isInstanceOfSatisfying(
            IdempotencyConflictException.class,
            e -> {
              assertThat(e.idempotencyKey()).isEqualTo("k");
              assertThat(e.existingId()).isEqualTo(-1);
            });

    assertThat(countAll()).isZero();
  }

  @Test
  public void keyStaysTakenWhileItsTaskRunsAndAfterItFinishes() {
    long id = enqueue(task().idempotencyKey("k"));
    succeed(claimOne("w"));

    Enqueued again = enqueueKeyed("k");

    assertThat(again).isEqualTo(new Enqueued(id, false));
  }

  private Enqueued enqueueKeyed(String key) {
    return store.enqueue(List.of(task().idempotencyKey(key).build())).getFirst();
  }

  private long countAll() {
    return store
        .list(TaskFilter.all(now()), PageRequest.first(PageRequest.MAX_LIMIT))
        .items()
        .size();
  }
}
