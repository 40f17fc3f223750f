package dev.spindle.core.task;

import java.util.List;
import java.util.Optional;

/** A page of results and the cursor for the next one, empty on the last page. */
public record Page<T>(List<T> items, Optional<Long> nextCursor) {
  public Page {
    items = List.copyOf(items);
  }
}
