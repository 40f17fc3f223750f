package dev.spindle.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.store.CancelResult;
import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.store.HeartbeatRequest;
import dev.spindle.core.store.HeartbeatResult;
import dev.spindle.core.store.Outcome;
import dev.spindle.core.store.RetryResult;
import dev.spindle.core.task.TaskInfo;
import dev.spindle.core.task.TaskState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Operator actions: cancelling waiting and running tasks, retrying finished ones by hand. */
public abstract class CancelRetryContract extends StoreContract {

  @Test
  public void cancellingAWaitingTaskCancelsItAtOnce() {
    long ready = enqueue(task());
    long scheduled = enqueue(task().runAt(now().plusSeconds(60)));

    List<CancelResult> results = store.cancel(List.of(ready, scheduled), now());

    assertThat(results).containsExactly(CancelResult.CANCELLED, CancelResult.CANCELLED);
    assertThat(info(ready).state()).isEqualTo(TaskState.CANCELLED);
    assertThat(info(ready).finishedAt()).contains(now());
    assertThat(info(scheduled).state()).isEqualTo(TaskState.CANCELLED);
    clock.advance(Duration.ofMinutes(2));
    assertThat(claim(10)).isEmpty();
  }

  @Test
  public void cancellingARunningTaskAsksItsWorkerThroughTheNextHeartbeat() {
    long id = enqueue(task());
    ClaimedTask claimed = claimOne("w");

    assertThat(store.cancel(List.of(id), now())).containsExactly(CancelResult.CANCEL_REQUESTED);
    assertThat(info(id).state()).isEqualTo(TaskState.RUNNING);
    assertThat(info(id).cancelRequested()).isTrue();

    HeartbeatResult beat =
        store.heartbeat(
            new HeartbeatRequest(
                "w",
                List.of(new HeartbeatRequest.Lease(id, claimed.leaseToken(), Optional.empty())),
                now().plus(LEASE)));
    assertThat(beat.cancelRequested()).containsExactly(id);
    assertThat(beat.lost()).isEmpty();

    store.complete(List.of(new Outcome.Cancelled(id, claimed.leaseToken(), now())));
    TaskInfo info = info(id);
    assertThat(info.state()).isEqualTo(TaskState.CANCELLED);
    assertThat(info.finishedAt()).contains(now());
  }

  @Test
  public void cancellingAFinishedTaskChangesNothing() {
    long id = enqueue(task());
    succeed(claimOne("w"));

    assertThat(store.cancel(List.of(id), now())).containsExactly(CancelResult.ALREADY_FINISHED);
    assertThat(info(id).state()).isEqualTo(TaskState.SUCCEEDED);
  }

  @Test
  public void cancelAnswersEveryIdInInputOrder() {
    long waiting = enqueue(task());
    long running = enqueue(task());
    store.cancel(List.of(waiting), now());
    claimOne("w");
    long unknown = 9_999_999L;

    assertThat(store.cancel(List.of(unknown, running, waiting), now()))
        .containsExactly(
            CancelResult.NOT_FOUND, CancelResult.CANCEL_REQUESTED, CancelResult.ALREADY_FINISHED);
  }

  @Test
  public void deadTaskCanBeRetriedByHandWithAFreshAttemptBudget() {
    long id = enqueue(task().maxAttempts(1).deadline(now().plusSeconds(600)));
    ClaimedTask claimed = claimOne("w");
    store.complete(List.of(new Outcome.Dead(id, claimed.leaseToken(), "broken", now())));
    clock.advance(Duration.ofHours(1));

    assertThat(store.retry(List.of(id), now())).containsExactly(RetryResult.REQUEUED);

    TaskInfo info = info(id);
    assertThat(info.state()).isEqualTo(TaskState.READY);
    assertThat(info.attempts()).isZero();
    assertThat(info.runAt()).isEqualTo(now());
    assertThat(info.deadline()).as("the old deadline would expire it at once").isEmpty();
    assertThat(info.finishedAt()).isEmpty();
    assertThat(info.lastError()).as("the error stays visible").contains("broken");
    ClaimedTask again = claimOne("w");
    assertThat(again.attempt()).isEqualTo(1);
    assertThat(again.leaseToken()).isGreaterThan(claimed.leaseToken());
  }

  @Test
  public void expiredTaskCanBeRetriedAndRunsWithoutItsDeadline() {
    long id = enqueue(task().deadline(now().plusSeconds(1)));
    clock.advance(Duration.ofSeconds(5));
    store.expireOverdue(now(), 10);

    assertThat(store.retry(List.of(id), now())).containsExactly(RetryResult.REQUEUED);
    assertThat(ids(claim(10))).containsExactly(id);
  }

  @Test
  public void cancelledTaskCanBeRetried() {
    long id = enqueue(task());
    store.cancel(List.of(id), now());

    assertThat(store.retry(List.of(id), now())).containsExactly(RetryResult.REQUEUED);
    assertThat(info(id).state()).isEqualTo(TaskState.READY);
  }

  @Test
  public void onlyDeadCancelledAndExpiredTasksCanBeRetried() {
    long succeeded = enqueue(task());
    long running = enqueue(task());
    succeed(claimOne("w"));
    claimOne("w");
    long waiting = enqueue(task());
    long scheduled = enqueue(task().runAt(now().plusSeconds(60)));

    assertThat(store.retry(List.of(waiting, scheduled, succeeded, running, 9_999_999L), now()))
        .containsExactly(
            RetryResult.NOT_RETRYABLE,
            RetryResult.NOT_RETRYABLE,
            RetryResult.NOT_RETRYABLE,
            RetryResult.NOT_RETRYABLE,
            RetryResult.NOT_FOUND);
    assertThat(info(succeeded).state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(info(running).state()).isEqualTo(TaskState.RUNNING);
  }
}
