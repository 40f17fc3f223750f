package dev.spindle.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.store.Outcome;
import dev.spindle.core.task.TaskInfo;
import dev.spindle.core.task.TaskState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A deadline bounds when a task may start; a task that misses it becomes EXPIRED. */
public abstract class DeadlineContract extends StoreContract {

  @Test
  public void claimNeverReturnsATaskPastItsDeadline() {
    long late = enqueue(task().priority(10).deadline(now().plusSeconds(5)));
    long onTime = enqueue(task());
    clock.advance(Duration.ofSeconds(6));

    assertThat(ids(claim(10))).containsExactly(onTime);
    // A store may expire it while claiming or leave that to the maintainer's expireOverdue.
    assertThat(info(late).state()).isIn(TaskState.READY, TaskState.EXPIRED);
    store.expireOverdue(now(), 100);
    TaskInfo info = info(late);
    assertThat(info.state()).isEqualTo(TaskState.EXPIRED);
    assertThat(info.attempts()).isZero();
    assertThat(info.finishedAt()).isPresent();
  }

  @Test
  public void taskIsClaimableUpToItsDeadline() {
    long id = enqueue(task().deadline(now().plusSeconds(5)));
    clock.advance(Duration.ofSeconds(5));

    assertThat(ids(claim(10))).containsExactly(id);
  }

  @Test
  public void delayedTaskWhoseDeadlinePassesBeforeItIsDueNeverRuns() {
    long id = enqueue(task().runAt(now().plusSeconds(60)).deadline(now().plusSeconds(30)));
    clock.advance(Duration.ofSeconds(60));

    assertThat(claim(10)).isEmpty();
    store.expireOverdue(now(), 100);
    assertThat(info(id).state()).isEqualTo(TaskState.EXPIRED);
  }

  @Test
  public void expireOverdueMarksWaitingTasksPastTheirDeadline() {
    long overdue = enqueue(task().deadline(now().plusSeconds(5)));
    long overdueElsewhere = enqueue(task().queue("other").deadline(now().plusSeconds(1)));
    long stillInTime = enqueue(task().deadline(now().plusSeconds(60)));
    long noDeadline = enqueue(task());
    clock.advance(Duration.ofSeconds(10));

    int expired = store.expireOverdue(now(), 100);

    assertThat(expired).isEqualTo(2);
    assertThat(info(overdue).state()).isEqualTo(TaskState.EXPIRED);
    assertThat(info(overdue).finishedAt()).contains(now());
    assertThat(info(overdueElsewhere).state()).isEqualTo(TaskState.EXPIRED);
    assertThat(info(stillInTime).state()).isEqualTo(TaskState.READY);
    assertThat(info(noDeadline).state()).isEqualTo(TaskState.READY);
  }

  @Test
  public void expireOverdueHandlesAtMostItsLimit() {
    for (int i = 0; i < 5; i++) {
      enqueue(task().deadline(now().plusSeconds(1)));
    }
    clock.advance(Duration.ofSeconds(2));

    assertThat(store.expireOverdue(now(), 3)).isEqualTo(3);
    assertThat(store.expireOverdue(now(), 3)).isEqualTo(2);
    assertThat(store.expireOverdue(now(), 3)).isZero();
  }

  @Test
  public void deadlineDoesNotStopATaskThatAlreadyStarted() {
    long id = enqueue(task().deadline(now().plusSeconds(5)));
    ClaimedTask claimed = claimOne("w");
    clock.advance(Duration.ofSeconds(10));

    assertThat(store.expireOverdue(now(), 100)).isZero();
    assertThat(succeed(claimed)).isEmpty();
    assertThat(info(id).state()).isEqualTo(TaskState.SUCCEEDED);
  }

  @Test
  public void deadlineStillAppliesToARetryWaitingForItsTurn() {
    long id = enqueue(task().deadline(now().plusSeconds(5)));
    ClaimedTask claimed = claimOne("w");
    store.complete(
        List.of(new Outcome.Retry(id, claimed.leaseToken(), "boom", now().plusSeconds(10), now())));
    clock.advance(Duration.ofSeconds(10));

    assertThat(claim(10)).isEmpty();
    store.expireOverdue(now(), 100);
    assertThat(info(id).state()).isEqualTo(TaskState.EXPIRED);
    assertThat(info(id).lastError()).contains("boom");
  }
}
