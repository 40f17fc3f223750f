package dev.spindle.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.task.TaskInfo;
import dev.spindle.core.task.TaskState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which due tasks a claim takes, in which order, and what it records. */
public abstract class ClaimOrderingContract extends StoreContract {

  @Test
  public void claimTakesHigherPriorityFirst() {
    long low = enqueue(task().priority(-5));
    long high = enqueue(task().priority(10));
    long normal = enqueue(task().priority(0));

    assertThat(ids(claim(10))).containsExactly(high, normal, low);
  }

  @Test
  public void withinAPriorityEarlierRunAtComesFirst() {
    long later = enqueue(task().runAt(now().minusSeconds(10)));
    long earliest = enqueue(task().runAt(now().minusSeconds(60)));
    long latest = enqueue(task());

    assertThat(ids(claim(10))).containsExactly(earliest, later, latest);
  }

  @Test
  public void tiesAreBrokenByLowestIdFirst() {
    long a = enqueue(task());
    long b = enqueue(task());
    long c = enqueue(task());

    assertThat(ids(claim(2))).containsExactly(a, b);
    assertThat(ids(claim(2))).containsExactly(c);
  }

  @Test
  public void priorityOutranksWaitingTime() {
    long old = enqueue(task().runAt(now().minusSeconds(3600)).priority(1));
    long urgent = enqueue(task().priority(2));

    assertThat(ids(claim(1))).containsExactly(urgent);
    assertThat(ids(claim(1))).containsExactly(old);
  }

  @Test
  public void delayedTaskIsNotClaimedBeforeItsRunAt() {
    long delayed = enqueue(task().runAt(now().plusSeconds(60)));

    assertThat(claim(10)).isEmpty();
    clock.advance(Duration.ofSeconds(59));
    assertThat(claim(10)).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(ids(claim(10))).containsExactly(delayed);
  }

  @Test
  public void delayedHighPriorityTaskDoesNotBlockDueLowerPriorityTasks() {
    enqueue(task().priority(100).runAt(now().plusSeconds(60)));
    long due = enqueue(task().priority(0));

    assertThat(ids(claim(10))).containsExactly(due);
  }

  @Test
  public void claimTakesAtMostMax() {
    for (int i = 0; i < 5; i++) {
      enqueue(task());
    }

    assertThat(claim(3)).hasSize(3);
    assertThat(claim(3)).hasSize(2);
    assertThat(claim(3)).isEmpty();
  }

  @Test
  public void claimTakesOnlyTasksOfTheRequestedQueue() {
    long mine = enqueue(task());
    long other = enqueue(task().queue("other"));

    assertThat(ids(claim(QUEUE, "w", 10))).containsExactly(mine);
    assertThat(ids(claim("other", "w", 10))).containsExactly(other);
  }

  @Test
  public void claimOfAnEmptyQueueReturnsNothing() {
    assertThat(claim(10)).isEmpty();
  }

  @Test
  public void claimedTaskCarriesWhatTheWorkerNeeds() {
    long id =
        enqueue(
            task()
                .type("report.build")
                .payload("{\"month\":1}")
                .priority(3)
                .maxAttempts(4)
                .timeout(Duration.ofSeconds(90))
                .runAt(now().minusSeconds(5))
                .createdAt(now().minusSeconds(10))
                .deadline(now().plusSeconds(600)));

    ClaimedTask claimed = claimOne("w");

    assertThat(claimed.id()).isEqualTo(id);
    assertThat(claimed.type()).isEqualTo("report.build");
    assertThat(claimed.queue()).isEqualTo(QUEUE);
    assertThat(claimed.payloadJson()).isEqualTo("{\"month\":1}");
    assertThat(claimed.priority()).isEqualTo(3);
    assertThat(claimed.attempt()).isEqualTo(1);
    assertThat(claimed.maxAttempts()).isEqualTo(4);
    assertThat(claimed.timeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(claimed.leaseUntil()).isEqualTo(now().plus(LEASE));
    assertThat(claimed.createdAt()).isEqualTo(now().minusSeconds(10));
    assertThat(claimed.runAt()).isEqualTo(now().minusSeconds(5));
    assertThat(claimed.deadline()).contains(now().plusSeconds(600));
  }

  @Test
  public void claimMarksTheTaskRunningForItsWorkerAndCountsAnAttempt() {
    long id = enqueue(task());

    claimOne("worker-7");

    TaskInfo info = info(id);
    assertThat(info.state()).isEqualTo(TaskState.RUNNING);
    assertThat(info.attempts()).isEqualTo(1);
    assertThat(info.leaseOwner()).contains("worker-7");
    assertThat(info.startedAt()).contains(now());
  }

  @Test
  public void leasedTaskIsNotClaimedAgain() {
    enqueue(task());
    claimOne("a");

    assertThat(claim(QUEUE, "b", 10)).isEmpty();
  }

  @Test
  public void finishedTaskIsNeverClaimed() {
    enqueue(task());
    succeed(claimOne("a"));
    clock.advance(Duration.ofHours(1));

    assertThat(claim(10)).isEmpty();
  }

  @Test
  public void claimedTasksComeInClaimOrder() {
    List<Long> expected =
        List.of(
            enqueue(task().priority(5).runAt(now().minusSeconds(2))),
            enqueue(task().priority(5).runAt(now().minusSeconds(1))),
            enqueue(task().priority(1).runAt(now().minusSeconds(9))));
    enqueue(task().priority(9).runAt(now().plusSeconds(1)));

    assertThat(ids(claim(10))).containsExactlyElementsOf(expected);
  }
}
