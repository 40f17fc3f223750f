package dev.spindle.wordcount;

import java.util.List;

/**
 * The result of a {@code wordcount} task.
 *
 * @param files file tasks submitted
 * @param mergeTaskId the {@code wordcount.merge} task that runs once every file task is final
 * @param skipped directories that could not be listed; the merge records them as failed
 */
public record SplitResult(int files, long mergeTaskId, List<FileFailure> skipped) {}
