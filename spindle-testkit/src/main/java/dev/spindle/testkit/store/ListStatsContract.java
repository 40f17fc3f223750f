package dev.spindle.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.store.ClaimedTask;
import dev.spindle.core.store.Outcome;
import dev.spindle.core.task.Page;
import dev.spindle.core.task.PageRequest;
import dev.spindle.core.task.QueueStats;
import dev.spindle.core.task.TaskFilter;
import dev.spindle.core.task.TaskInfo;
import dev.spindle.core.task.TaskState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Listing with filters and cursor paging, queue statistics, and purging old tasks. */
public abstract class ListStatsContract extends StoreContract {

  @Test
  public void listShowsHighestIdFirst() {
    long a = enqueue(task());
    long b = enqueue(task());
    long c = enqueue(task());

    assertThat(list(TaskFilter.all(now()))).extracting(TaskInfo::id).containsExactly(c, b, a);
  }

  @Test
  public void listFiltersByQueueStateAndType() {
    long mail = enqueue(task().type("mail"));
    long report = enqueue(task().type("report"));
    long otherQueue = enqueue(task().type("mail").queue("other"));
    long running = enqueue(task().type("mail").priority(-1));
    claim(2); // mail and report: equal priority, lowest ids first
    ClaimedTask r = claim(1).getFirst();
    assertThat(r.id()).isEqualTo(running);

    TaskFilter all = TaskFilter.all(now());
    assertThat(ids(all.withQueue("other"))).containsExactly(otherQueue);
    assertThat(ids(all.withType("mail"))).containsExactly(running, otherQueue, mail);
    assertThat(ids(all.withQueue(QUEUE).withType("mail"))).containsExactly(running, mail);
    assertThat(ids(all.withState(TaskState.RUNNING))).containsExactly(running, report, mail);
    assertThat(ids(all.withState(TaskState.READY))).containsExactly(otherQueue);
    assertThat(ids(all.withState(TaskState.SUCCEEDED))).isEmpty();
  }

  @Test
  public void listSplitsScheduledFromReadyAsOfNow() {
    long due = enqueue(task());
    long later = enqueue(task().runAt(now().plusSeconds(60)));
    TaskFilter all = TaskFilter.all(now());

    assertThat(ids(all.withState(TaskState.READY))).containsExactly(due);
    assertThat(ids(all.withState(TaskState.SCHEDULED))).containsExactly(later);
    assertThat(list(all))
        .extracting(TaskInfo::state)
        .containsExactly(TaskState.SCHEDULED, TaskState.READY);
    TaskFilter inTwoMinutes = TaskFilter.all(now().plusSeconds(120));
    assertThat(ids(inTwoMinutes.withState(TaskState.READY))).containsExactly(later, due);
  }

  @Test
  public void cursorPagingVisitsEveryTaskOnceNewestFirst() {
    List<Long> expected = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      expected.addFirst(enqueue(task()));
    }

    List<Long> seen = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    Optional<Long> cursor = Optional.empty();
    do {
      Page<TaskInfo> page = store.list(TaskFilter.all(now()), new PageRequest(10, cursor));
      page.items().forEach(t -> seen.add(t.id()));
      pageSizes.add(page.items().size());
      cursor = page.nextCursor();
    } while (cursor.isPresent());

    assertThat(seen).containsExactlyElementsOf(expected);
    assertThat(pageSizes).containsExactly(10, 10, 5);
  }

  @Test
  public void lastFullPageHasNoCursor() {
    for (int i = 0; i < 4; i++) {
      enqueue(task());
    }

    Page<TaskInfo> page = store.list(TaskFilter.all(now()), PageRequest.first(4));

    assertThat(page.items()).hasSize(4);
    assertThat(page.nextCursor()).isEmpty();
  }

  @Test
  public void cursorPagingAppliesTheFilterOnEveryPage() {
    for (int i = 0; i < 6; i++) {
      enqueue(task().type(i % 2 == 0 ? "even" : "odd"));
    }
    TaskFilter even = TaskFilter.all(now()).withType("even");

    Page<TaskInfo> first = store.list(even, PageRequest.first(2));
    Page<TaskInfo> second = store.list(even, new PageRequest(2, first.nextCursor()));

    assertThat(first.items()).hasSize(2).allMatch(t -> t.type().equals("even"));
    assertThat(second.items()).hasSize(1).allMatch(t -> t.type().equals("even"));
    assertThat(second.nextCursor()).isEmpty();
  }

  @Test
  public void statsCountTasksPerQueueAndStateWithScheduledApart() {
    enqueue(task());
    enqueue(task());
    enqueue(task().runAt(now().plusSeconds(60)));
    enqueue(task().queue("other"));
    ClaimedTask running = claimOne("w");
    ClaimedTask done = claimOne("w");
    succeed(done);

    Map<String, QueueStats> stats = statsByQueue();

    assertThat(running.id()).isNotEqualTo(done.id());
    assertThat(stats.get(QUEUE).count(TaskState.RUNNING)).isEqualTo(1);
    assertThat(stats.get(QUEUE).count(TaskState.SUCCEEDED)).isEqualTo(1);
    assertThat(stats.get(QUEUE).count(TaskState.SCHEDULED)).isEqualTo(1);
    assertThat(stats.get(QUEUE).count(TaskState.READY)).isZero();
    assertThat(stats.get("other").count(TaskState.READY)).isEqualTo(1);
    clock.advance(Duration.ofSeconds(60));
    assertThat(statsByQueue().get(QUEUE).count(TaskState.READY)).isEqualTo(1);
  }

  @Test
  public void purgeDeletesOnlyTasksThatFinishedBeforeTheCutoff() {
    long succeeded = finishedTask(Outcome.Succeeded.class);
    long dead = finishedTask(Outcome.Dead.class);
    long cancelled = enqueue(task());
    store.cancel(List.of(cancelled), now());
    long expired = enqueue(task().deadline(now()));
    clock.advance(Duration.ofSeconds(1));
    store.expireOverdue(now(), 10);
    long waiting = enqueue(task().runAt(now().minusSeconds(3600)));
    clock.advance(Duration.ofHours(1));
    long recent = finishedTask(Outcome.Succeeded.class);

    int purged = store.purgeFinished(now().minusSeconds(60), 100);

    assertThat(purged).isEqualTo(3);
    assertThat(store.get(List.of(succeeded, cancelled, expired))).isEmpty();
    assertThat(store.get(List.of(dead, waiting, recent)))
        .as("dead tasks stay for inspection; waiting and recent ones are kept")
        .extracting(TaskInfo::id)
        .containsExactly(dead, waiting, recent);
  }

  @Test
  public void purgeHandlesAtMostItsLimit() {
    for (int i = 0; i < 5; i++) {
      finishedTask(Outcome.Succeeded.class);
    }
    clock.advance(Duration.ofHours(1));

    assertThat(store.purgeFinished(now(), 3)).isEqualTo(3);
    assertThat(store.purgeFinished(now(), 3)).isEqualTo(2);
    assertThat(store.purgeFinished(now(), 3)).isZero();
  }

  @Test
  public void idsAreNeverReusedAfterAPurge() {
    long first = finishedTask(Outcome.Succeeded.class);
    clock.advance(Duration.ofHours(1));
    store.purgeFinished(now(), 100);

    assertThat(enqueue(task())).isGreaterThan(first);
  }

  private long finishedTask(Class<? extends Outcome> kind) {
    long id = enqueue(task().priority(1000));
    ClaimedTask claimed = claimOne("w");
    assertThat(claimed.id()).isEqualTo(id);
    Outcome outcome =
        kind == Outcome.Dead.class
            ? new Outcome.Dead(id, claimed.leaseToken(), "no", now())
            : new Outcome.Succeeded(id, claimed.leaseToken(), "1", now());
    assertThat(store.complete(List.of(outcome))).isEmpty();
    return id;
  }

  private Map<String, QueueStats> statsByQueue() {
    Map<String, QueueStats> byQueue = new HashMap<>();
    for (QueueStats s : store.stats(now())) {
      byQueue.put(s.queue(), s);
    }
    return byQueue;
  }

  private List<TaskInfo> list(TaskFilter filter) {
    return store.list(filter, PageRequest.first(100)).items();
  }

  private List<Long> ids(TaskFilter filter) {
    return list(filter).stream().map(TaskInfo::id).toList();
  }
}
