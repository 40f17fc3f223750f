package dev.spindle.core.task;

import java.util.Optional;

/**
 * One page of a listing, newest first. {@code afterId} is the cursor: the last id of the previous
 * page; the next page holds ids strictly below it.
 */
public record PageRequest(int limit, Optional<Long> afterId) {
  public static final int MAX_LIMIT = 1000;

  public PageRequest {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "page limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
    }
  }

  public static PageRequest first(int limit) {
    return new PageRequest(limit, Optional.empty());
  }
}
