package dev.spindle.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.store.ClaimRequest;
import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.store.EnqueueResult;
import dev.spindle.core.store.Outcome;
import dev.spindle.core.store.RescueResult;
import dev.spindle.core.task.NewTask;
import dev.spindle.core.task.TaskInfo;
import dev.spindle.core.task.TaskState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link dev.spindle.core.store.TaskStore#enqueueAndStart}: new due tasks leased to the submitting
 * worker in the insert's transaction, or, with tasks already waiting, tasks leased as a claim would
 * lease them, never a new one ahead of a waiting one; afterwards exactly like claimed tasks. A
 * store may lease none; {@link #startsOnSubmit()} says whether this one does, so the tests check
 * that it really does.
 */
public abstract class StartOnSubmitContract extends StoreContract {
  private static final String WORKER = "submitter";

  /** Whether the store leases tasks on submit, or keeps the interface's default of none. */
  protected abstract boolean startsOnSubmit();

  private EnqueueResult enqueueAndStart(int max, NewTask... tasks) {
    return store.enqueueAndStart(
        List.of(tasks), new ClaimRequest(QUEUE, WORKER, max, now(), now().plus(LEASE)));
  }

  @Test
  public void startedTasksAreRunningUnderTheirLeaseAndTheRestAreLeftToClaims() {
    EnqueueResult result = enqueueAndStart(2, task().build(), task().build(), task().build());

    List<Long> ids = result.enqueued().stream().map(e -> e.id()).toList();
    assertThat(ids).hasSize(3).doesNotHaveDuplicates();
    assertThat(result.started()).hasSize(startsOnSubmit() ? 2 : 0);
    for (ClaimedTask t : result.started()) {
      assertThat(ids).contains(t.id());
      assertThat(t.queue()).isEqualTo(QUEUE);
      assertThat(t.attempt()).isEqualTo(1);
      assertThat(t.leaseUntil()).isEqualTo(now().plus(LEASE));
      TaskInfo info = info(t.id());
      assertThat(info.state()).isEqualTo(TaskState.RUNNING);
      assertThat(info.attempts()).isEqualTo(1);
      assertThat(info.leaseOwner()).contains(WORKER);
      assertThat(info.startedAt()).contains(now());
    }
    List<Long> rest = new ArrayList<>(ids);
    rest.removeAll(ids(result.started()));
    assertThat(ids(claim(10))).containsExactlyElementsOf(rest);

    for (ClaimedTask t : result.started()) {
      assertThat(
              store.complete(
                  List.of(new Outcome.Succeeded(t.id(), t.leaseToken() - 1, "\"no\"", now()))))
          .as("an older token is fenced")
          .containsExactly(t.id());
      assertThat(succeed(t)).isEmpty();
      assertThat(info(t.id()).state()).isEqualTo(TaskState.SUCCEEDED);
    }
  }

  @Test
  public void aNewTaskNeverStartsAheadOfADueTaskAlreadyStored() {
    long waiting = enqueue(task().priority(10));

    EnqueueResult result = enqueueAndStart(1, task().build(), task().build());

    List<Long> ids = result.enqueued().stream().map(e -> e.id()).toList();
    assertThat(ids(result.started())).containsExactlyElementsOf(idsIfStarting(waiting));
    for (ClaimedTask t : result.started()) {
      assertThat(t.attempt()).isEqualTo(1);
      assertThat(t.leaseUntil()).isEqualTo(now().plus(LEASE));
      TaskInfo info = info(t.id());
      assertThat(info.state()).isEqualTo(TaskState.RUNNING);
      assertThat(info.leaseOwner()).contains(WORKER);
      assertThat(succeed(t)).isEmpty();
    }
    for (long id : ids) {
      assertThat(info(id).state()).isEqualTo(TaskState.READY);
    }
    List<Long> rest = new ArrayList<>(ids);
    if (!startsOnSubmit()) {
      rest.addFirst(waiting);
    }
    assertThat(ids(claim(10))).containsExactlyElementsOf(rest);
  }

  @Test
  public void aSubmitToAQueueWithTasksWaitingLeasesAsAClaimWouldNewTasksIncluded() {
    long waiting = enqueue(task());

    EnqueueResult result = enqueueAndStart(5, task().priority(10).build(), task().build());

    List<Long> ids = result.enqueued().stream().map(e -> e.id()).toList();
    assertThat(ids(result.started()))
        .as("claim order: priority, then due time and id")
        .containsExactlyElementsOf(idsIfStarting(ids.get(0), waiting, ids.get(1)));
    assertThat(result.started()).isSortedAccordingTo(ClaimedTask.CLAIM_ORDER);
    assertThat(claim(10)).hasSize(startsOnSubmit() ? 0 : 3);
  }

  private List<Long> idsIfStarting(Long... ids) {
    return startsOnSubmit() ? List.of(ids) : List.of();
  }

  @Test
  public void onlyNewReadyTasksOfTheQueueThatAreDueStart() {
    long parent = enqueue(task().idempotencyKey("k"));
    ClaimedTask running = claimOne("other"); // the queue has no due task left

    EnqueueResult result =
        enqueueAndStart(
            10,
            task().runAt(now().plusSeconds(60)).build(),
            task().queue("elsewhere").build(),
            task().dependsOn(List.of(parent)).build(),
            task().idempotencyKey("k").build());

    assertThat(result.started()).isEmpty();
    List<Long> ids = result.enqueued().stream().map(e -> e.id()).toList();
    assertThat(info(ids.get(0)).asOf(now()).state()).isEqualTo(TaskState.SCHEDULED);
    assertThat(info(ids.get(1)).state()).isEqualTo(TaskState.READY);
    assertThat(info(ids.get(2)).state()).isEqualTo(TaskState.WAITING);
    assertThat(ids.get(3)).isEqualTo(parent);
    assertThat(result.enqueued().get(3).created()).isFalse();
    assertThat(info(parent).leaseOwner()).contains("other");
    assertThat(succeed(running)).isEmpty();
  }

  @Test
  public void theTasksThatStartAreTheFirstInClaimOrder() {
    EnqueueResult result =
        enqueueAndStart(
            2,
            task().priority(0).build(),
            task().priority(5).build(),
            task().priority(1).build(),
            task().priority(5).build());

    List<Long> ids = result.enqueued().stream().map(e -> e.id()).toList();
    List<Long> inClaimOrder = List.of(ids.get(1), ids.get(3), ids.get(2), ids.get(0));
    assertThat(ids(result.started()))
        .containsExactlyElementsOf(inClaimOrder.subList(0, startsOnSubmit() ? 2 : 0));
    assertThat(result.started()).isSortedAccordingTo(ClaimedTask.CLAIM_ORDER);
    assertThat(ids(claim(10)))
        .containsExactlyElementsOf(inClaimOrder.subList(result.started().size(), 4));
  }

  @Test
  public void leaseTokensOfStartedTasksKeepIncreasing() {
    enqueue(task());
    long before = claimOne("w").leaseToken();

    EnqueueResult result = enqueueAndStart(1, task().build(), task().build());
    enqueue(task());
    long after = claimOne("w").leaseToken();

    assertThat(result.started()).hasSize(startsOnSubmit() ? 1 : 0);
    for (ClaimedTask t : result.started()) {
      assertThat(t.leaseToken()).isGreaterThan(before).isLessThan(after);
    }
  }

  @Test
  public void anExpiredLeaseOfAStartedTaskIsRescuedAndTheTaskRunsAgain() {
    EnqueueResult result = enqueueAndStart(2, task().build(), task().build());
    letLeasesExpire();

    RescueResult rescued = store.rescueExpired(now(), 100);

    assertThat(rescued.requeued()).hasSize(result.started().size());
    List<ClaimedTask> again = claim(10);
    assertThat(again).hasSize(2);
    assertThat(again.stream().map(ClaimedTask::attempt).sorted(Comparator.reverseOrder()))
        .containsExactly(startsOnSubmit() ? 2 : 1, startsOnSubmit() ? 2 : 1);
  }
}
