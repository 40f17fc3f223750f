package dev.spindle.core.store;

import java.util.List;

/**
 * What {@link TaskStore#enqueueAndStart} wrote.
 *
 * @param enqueued one result per input task, in input order, as from {@link TaskStore#enqueue}
 * @param started the tasks leased to the asking worker, in claim order: new ones, or tasks that
 *     were waiting (see {@link TaskStore#enqueueAndStart}); empty when the store leased none
 */
public record EnqueueResult(List<Enqueued> enqueued, List<ClaimedTask> started) {
  public EnqueueResult {
    enqueued = List.copyOf(enqueued);
    started = List.copyOf(started);
  }
}
