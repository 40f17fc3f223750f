package dev.spindle.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.store.CancelResult;
import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.store.Outcome;
import dev.spindle.core.task.PageRequest;
import dev.spindle.core.task.TaskFilter;
import dev.spindle.core.task.TaskState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Tasks that wait for others: WAITING until every parent is final, whatever its outcome. */
public abstract class DependencyContract extends StoreContract {

  @Test
  public void taskWaitsWhileAParentIsUnfinishedAndIsNotClaimed() {
    long parent = enqueue(task().type("parent"));
    long child = enqueue(task().type("child").dependsOn(List.of(parent)));

    assertThat(info(child).state()).isEqualTo(TaskState.WAITING);
    assertThat(info(child).dependsOn()).containsExactly(parent);
    assertThat(store.promoteWaiting(100)).isZero();
    assertThat(ids(claim(10))).containsExactly(parent);
    assertThat(claim(10)).as("the child still waits").isEmpty();
  }

  @Test
  public void taskBecomesReadyOnceEveryParentIsFinalWhateverTheOutcome() {
    long ok = enqueue(task().type("ok"));
    long failing = enqueue(task().type("failing"));
    long child = enqueue(task().type("merge").dependsOn(List.of(ok, failing)));
    List<ClaimedTask> parents = claim(2);

    succeed(parents.get(0));
    assertThat(store.promoteWaiting(100)).as("one parent still runs").isZero();
    ClaimedTask second = parents.get(1);
    store.complete(List.of(new Outcome.Dead(second.id(), second.leaseToken(), "boom", now())));

    assertThat(store.promoteWaiting(100)).isEqualTo(1);
    assertThat(info(child).state()).isEqualTo(TaskState.READY);
    assertThat(ids(claim(10))).containsExactly(child);
  }

  @Test
  public void parentWaitingOutABackoffKeepsTheChildWaiting() {
    long parent = enqueue(task());
    long child = enqueue(task().dependsOn(List.of(parent)));
    ClaimedTask p = claimOne("worker-1");
    store.complete(
        List.of(new Outcome.Retry(p.id(), p.leaseToken(), "again", now().plusSeconds(60), now())));

    assertThat(store.promoteWaiting(100)).isZero();
    assertThat(info(child).state()).isEqualTo(TaskState.WAITING);
  }

  @Test
  public void taskWhoseParentsAreAlreadyFinalIsReadyAtOnce() {
    long parent = enqueue(task());
    succeed(claimOne("worker-1"));

    long child = enqueue(task().dependsOn(List.of(parent)));

    assertThat(info(child).state()).isEqualTo(TaskState.READY);
    assertThat(info(child).dependsOn()).containsExactly(parent);
  }

  @Test
  public void cancelledOrExpiredParentsCountAsFinal() {
    long cancelled = enqueue(task());
    long expiring = enqueue(task().deadline(now().plusSeconds(5)));
    long child = enqueue(task().dependsOn(List.of(cancelled, expiring)));

    assertThat(store.cancel(List.of(cancelled), now())).containsExactly(CancelResult.CANCELLED);
    clock.advance(Duration.ofSeconds(10));
    store.expireOverdue(now(), 100);

    assertThat(store.promoteWaiting(100)).isEqualTo(1);
    assertThat(info(child).state()).isEqualTo(TaskState.READY);
  }

  @Test
  public void waitingTaskCanBeCancelledAndExpires() {
    long parent = enqueue(task());
    long cancelMe = enqueue(task().dependsOn(List.of(parent)));
    long expireMe =
        enqueue(task().dependsOn(List.of(parent)).deadline(now().plus(Duration.ofMinutes(1))));

    assertThat(store.cancel(List.of(cancelMe), now())).containsExactly(CancelResult.CANCELLED);
    clock.advance(Duration.ofMinutes(2));
    assertThat(store.expireOverdue(now(), 100)).isEqualTo(1);

    assertThat(info(cancelMe).state()).isEqualTo(TaskState.CANCELLED);
    assertThat(info(expireMe).state()).isEqualTo(TaskState.EXPIRED);
  }

  @Test
  public void promotionHandlesAtMostItsLimit() {
    long parent = enqueue(task());
    for (int i = 0; i < 5; i++) {
      enqueue(task().dependsOn(List.of(parent)));
    }
    succeed(claimOne("worker-1"));

    assertThat(store.promoteWaiting(3)).isEqualTo(3);
    assertThat(store.promoteWaiting(3)).isEqualTo(2);
    assertThat(store.promoteWaiting(3)).isZero();
  }

  @Test
  public void waitingTasksAreListedAndCountedAsWaiting() {
    long parent = enqueue(task());
    long child = enqueue(task().dependsOn(List.of(parent)));

    var page =
        store.list(
            new TaskFilter(
                Optional.empty(), Optional.of(TaskState.WAITING), Optional.empty(), now()),
            new PageRequest(10, Optional.empty()));
    assertThat(page.items()).extracting(t -> t.id()).containsExactly(child);
    assertThat(store.stats(now()).getFirst().count(TaskState.WAITING)).isEqualTo(1);
  }

  @Test
  public void finishedParentAndChildArePurgedTogether() {
    long parent = enqueue(task());
    succeed(claimOne("worker-1"));
    long child = enqueue(task().dependsOn(List.of(parent)));
    ClaimedTask c = claimOne("worker-1");
    assertThat(c.id()).isEqualTo(child);
    succeed(c);

    clock.advance(Duration.ofDays(1));
    assertThat(store.purgeFinished(now(), 100)).isEqualTo(2);
    assertThat(store.get(List.of(parent, child))).isEmpty();
  }
}
