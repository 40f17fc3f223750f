package dev.spindle.wordcount;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The payload of a {@code wordcount.merge} task. The file tasks to merge are the task's
 * dependencies.
 *
 * @param db the words database to write
 * @param root the directory that was counted as a whole, if any: rows of files under it that this
 *     run did not see (deleted since the last count) are removed
 * @param skipped entries the split could not list, recorded as failed
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
record MergeTask(String db, String root, List<FileFailure> skipped) {
  MergeTask {
    skipped = skipped == null ? List.of() : List.copyOf(skipped);
  }
}
