package dev.spindle.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.store.HeartbeatRequest;
import dev.spindle.core.store.HeartbeatResult;
import dev.spindle.core.store.Outcome;
import dev.spindle.core.store.RescueResult;
import dev.spindle.core.task.TaskInfo;
import dev.spindle.core.task.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Outcomes, fencing by lease token, heartbeats and the rescue of expired leases. */
public abstract class LeaseContract extends StoreContract {

  @Test
  public void leaseTokensIncreaseAcrossClaims() {
    enqueue(task());
    enqueue(task());
    enqueue(task());

    long first = claimOne("a").leaseToken();
    long second = claimOne("b").leaseToken();
    letLeasesExpire();
    store.rescueExpired(now(), 100);
    long third = claimOne("c").leaseToken();

    assertThat(second).isGreaterThan(first);
    assertThat(third).isGreaterThan(second);
  }

  @Test
  public void succeededTaskKeepsItsResultAndFinishTime() {
    long id = enqueue(task());
    ClaimedTask claimed = claimOne("w");
    clock.advance(Duration.ofSeconds(2));

    List<Long> fenced =
        store.complete(
            List.of(new Outcome.Succeeded(id, claimed.leaseToken(), "{\"sum\":3}", now())));

    assertThat(fenced).isEmpty();
    TaskInfo info = info(id);
    assertThat(info.state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(info.resultJson()).contains("{\"sum\":3}");
    assertThat(info.finishedAt()).contains(now());
    assertThat(info.leaseOwner()).isEmpty();
  }

  @Test
  public void failedAttemptWaitsForItsRetryTimeAndKeepsTheError() {
    long id = enqueue(task());
    ClaimedTask claimed = claimOne("w");
    Instant retryAt = now().plusSeconds(10);

    store.complete(List.of(new Outcome.Retry(id, claimed.leaseToken(), "boom", retryAt, now())));

    TaskInfo info = info(id);
    assertThat(info.asOf(now()).state()).isEqualTo(TaskState.SCHEDULED);
    assertThat(info.lastError()).contains("boom");
    assertThat(info.runAt()).isEqualTo(retryAt);
    assertThat(info.attempts()).isEqualTo(1);
    assertThat(claim(10)).isEmpty();
    clock.set(retryAt);
    ClaimedTask second = claimOne("w");
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(second.leaseToken()).isGreaterThan(claimed.leaseToken());
  }

  @Test
  public void deadTaskKeepsItsErrorAndFinishTime() {
    long id = enqueue(task());
    ClaimedTask claimed = claimOne("w");

    store.complete(List.of(new Outcome.Dead(id, claimed.leaseToken(), "bad input", now())));

    TaskInfo info = info(id);
    assertThat(info.state()).isEqualTo(TaskState.DEAD);
    assertThat(info.lastError()).contains("bad input");
    assertThat(info.finishedAt()).contains(now());
    assertThat(claim(10)).isEmpty();
  }

  @Test
  public void releasedTaskIsReadyAgainWithoutCountingTheAttempt() {
    long id = enqueue(task());
    ClaimedTask claimed = claimOne("w");

    store.complete(List.of(new Outcome.Released(id, claimed.leaseToken(), now())));

    TaskInfo info = info(id);
    assertThat(info.state()).isEqualTo(TaskState.READY);
    assertThat(info.attempts()).isZero();
    assertThat(info.leaseOwner()).isEmpty();
    assertThat(claimOne("other").attempt()).isEqualTo(1);
  }

  @Test
  public void outcomesOfOneCallAreAppliedTogether() {
    long a = enqueue(task());
    long b = enqueue(task());
    long c = enqueue(task());
    List<ClaimedTask> claimed = claim(3);

    List<Long> fenced =
        store.complete(
            List.of(
                new Outcome.Succeeded(a, claimed.get(0).leaseToken(), "1", now()),
                new Outcome.Dead(b, claimed.get(1).leaseToken(), "no", now()),
                new Outcome.Succeeded(c, claimed.get(2).leaseToken() - 1, "stale", now())));

    assertThat(fenced).containsExactly(c);
    assertThat(info(a).state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(info(b).state()).isEqualTo(TaskState.DEAD);
    assertThat(info(c).state()).isEqualTo(TaskState.RUNNING);
  }

  @Test
  public void workerThatLostItsLeaseCannotComplete() {
    long id = enqueue(task());
    ClaimedTask lost = claimOne("slow-worker");
    letLeasesExpire();
    store.rescueExpired(now(), 100);
    ClaimedTask current = claimOne("new-worker");

    List<Long> fenced = succeed(lost);

    assertThat(fenced).containsExactly(id);
    TaskInfo info = info(id);
    assertThat(info.state()).isEqualTo(TaskState.RUNNING);
    assertThat(info.leaseOwner()).contains("new-worker");
    assertThat(succeed(current)).isEmpty();
    assertThat(info(id).state()).isEqualTo(TaskState.SUCCEEDED);
  }

  @Test
  public void completionWithAStaleTokenIsFencedEvenBeforeRescue() {
    long id = enqueue(task());
    ClaimedTask claimed = claimOne("w");

    List<Long> fenced =
        store.complete(List.of(new Outcome.Succeeded(id, claimed.leaseToken() + 1000, "x", now())));

    assertThat(fenced).containsExactly(id);
    assertThat(info(id).state()).isEqualTo(TaskState.RUNNING);
  }

  @Test
  public void taskCanBeCompletedOnlyOnce() {
    long id = enqueue(task());
    ClaimedTask claimed = claimOne("w");
    succeed(claimed);

    List<Long> fenced =
        store.complete(List.of(new Outcome.Dead(id, claimed.leaseToken(), "late", now())));

    assertThat(fenced).containsExactly(id);
    assertThat(info(id).state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(info(id).lastError()).isEmpty();
  }

  @Test
  public void expiredLeaseIsRescuedAndCountsAnAttempt() {
    long id = enqueue(task().maxAttempts(3));
    claimOne("crashed-worker");
    letLeasesExpire();

    RescueResult rescued = store.rescueExpired(now(), 100);

    assertThat(rescued.requeued()).containsExactly(id);
    assertThat(rescued.dead()).isEmpty();
    TaskInfo info = info(id);
    assertThat(info.state()).isEqualTo(TaskState.READY);
    assertThat(info.attempts()).isEqualTo(1);
    assertThat(info.leaseOwner()).isEmpty();
    assertThat(claimOne("w").attempt()).isEqualTo(2);
  }

  @Test
  public void rescueLeavesValidLeasesAlone() {
    long id = enqueue(task());
    claimOne("w");
    clock.advance(LEASE.minusSeconds(1));

    assertThat(store.rescueExpired(now(), 100).total()).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(store.rescueExpired(now(), 100).total())
        .as("a lease is valid up to and including its end")
        .isZero();
    clock.advance(Duration.ofMillis(1));
    assertThat(store.rescueExpired(now(), 100).requeued()).containsExactly(id);
  }

  @Test
  public void taskThatKeepsLosingItsLeaseEndsDeadAfterLastAttempt() {
    long id = enqueue(task().maxAttempts(2));
    claimOne("w1");
    letLeasesExpire();
    assertThat(store.rescueExpired(now(), 100).requeued()).containsExactly(id);
    claimOne("w2");
    letLeasesExpire();

    RescueResult rescued = store.rescueExpired(now(), 100);

    assertThat(rescued.dead()).containsExactly(id);
    assertThat(rescued.requeued()).isEmpty();
    TaskInfo info = info(id);
    assertThat(info.state()).isEqualTo(TaskState.DEAD);
    assertThat(info.attempts()).isEqualTo(2);
    assertThat(info.finishedAt()).contains(now());
    assertThat(info.lastError()).hasValueSatisfying(e -> assertThat(e).contains("lease", "w2"));
  }

  @Test
  public void rescueHandlesAtMostItsLimit() {
    for (int i = 0; i < 5; i++) {
      enqueue(task());
    }
    claim(5);
    letLeasesExpire();

    assertThat(store.rescueExpired(now(), 3).total()).isEqualTo(3);
    assertThat(store.rescueExpired(now(), 3).total()).isEqualTo(2);
    assertThat(store.rescueExpired(now(), 3).total()).isZero();
  }

  @Test
  public void rescuerDoesNotTouchALeaseRenewedByHeartbeat() {
    long id = enqueue(task());
    ClaimedTask claimed = claimOne("w");
    clock.advance(LEASE.minusSeconds(5));

    HeartbeatResult beat = heartbeat("w", claimed, Optional.empty());
    clock.advance(Duration.ofSeconds(10));

    assertThat(beat.lost()).isEmpty();
    assertThat(store.rescueExpired(now(), 100).total()).isZero();
    assertThat(info(id).state()).isEqualTo(TaskState.RUNNING);
    assertThat(succeed(claimed)).isEmpty();
  }

  @Test
  public void heartbeatRecordsProgress() {
    long id = enqueue(task());
    ClaimedTask claimed = claimOne("w");

    heartbeat("w", claimed, Optional.of("{\"done\":40}"));
    heartbeat("w", claimed, Optional.empty());

    assertThat(info(id).progress()).as("no new progress keeps the last").contains("{\"done\":40}");
  }

  @Test
  public void heartbeatWithAStaleTokenReportsTheLeaseLostAndChangesNothing() {
    long id = enqueue(task());
    ClaimedTask lost = claimOne("w1");
    letLeasesExpire();
    store.rescueExpired(now(), 100);
    ClaimedTask current = claimOne("w2");

    HeartbeatResult beat = heartbeat("w1", lost, Optional.of("{\"stale\":true}"));

    assertThat(beat.lost()).containsExactly(id);
    assertThat(info(id).progress()).isEmpty();
    letLeasesExpire();
    assertThat(store.rescueExpired(now(), 100).requeued())
        .as("the stale heartbeat did not extend the new lease")
        .containsExactly(current.id());
  }

  @Test
  public void heartbeatOfAFinishedTaskReportsItLost() {
    long id = enqueue(task());
    ClaimedTask claimed = claimOne("w");
    succeed(claimed);

    assertThat(heartbeat("w", claimed, Optional.empty()).lost()).containsExactly(id);
  }

  @Test
  public void heartbeatRenewsOnlyTheLeasesStillHeld() {
    enqueue(task());
    enqueue(task());
    List<ClaimedTask> claimed = claim(2);
    succeed(claimed.get(0));

    HeartbeatResult beat =
        store.heartbeat(
            new HeartbeatRequest(
                "worker-1",
                List.of(lease(claimed.get(0)), lease(claimed.get(1))),
                now().plus(LEASE)));

    assertThat(beat.lost()).containsExactly(claimed.get(0).id());
    assertThat(beat.cancelRequested()).isEmpty();
  }

  private HeartbeatResult heartbeat(String worker, ClaimedTask task, Optional<String> progress) {
    return store.heartbeat(
        new HeartbeatRequest(
            worker,
            List.of(new HeartbeatRequest.Lease(task.id(), task.leaseToken(), progress)),
            now().plus(LEASE)));
  }

  private static HeartbeatRequest.Lease lease(ClaimedTask task) {
    return new HeartbeatRequest.Lease(task.id(), task.leaseToken(), Optional.empty());
  }
}
