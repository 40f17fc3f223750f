package dev.spindle.wordcount;

import dev.spindle.core.RetryPolicy;
import dev.spindle.core.SpindleBuilder;
import dev.spindle.core.TaskTypeOptions;
import java.time.Duration;

/**
 * The word-count pipeline as three task types on queue {@value #QUEUE}:
 *
 * <ul>
 *   <li>{@value #SPLIT} ({@link WordCountJob}) lists the files and submits one {@value #FILE} task
 *       per file, then a {@value #MERGE} task that depends on all of them; its result is a {@link
 *       SplitResult}.
 *   <li>{@value #FILE} ({@code {"path": ...}}) counts the words of one file; its result is a {@link
 *       FileCount}.
 *   <li>{@value #MERGE} writes the counts into the words database in one transaction; its result is
 *       a {@link MergeResult}. Read the database with {@link WordCountReport}.
 * </ul>
 *
 * <p>A word is a match of {@code \b\w+\b} with Unicode character classes, lower-cased with {@link
 * java.util.Locale#ROOT}. Files are read as UTF-8; a file that is not fails its own task.
 */
public final class WordCount {
  public static final String SPLIT = "wordcount";
  public static final String FILE = "wordcount.file";
  public static final String MERGE = "wordcount.merge";
  public static final String QUEUE = "wordcount";

  private WordCount() {}

  /**
   * Registers the three task types. Their queue runs with the builder's default concurrency unless
   * the caller sets {@code builder.queue(WordCount.QUEUE, n)}.
   */
  public static void register(SpindleBuilder builder) {
    TaskTypeOptions base = TaskTypeOptions.DEFAULTS.withQueue(QUEUE);
    builder
        .handler(SPLIT, WordCountJob.class, new CorpusSplitter(), base.withRetry(retry(3)))
        .handler(
            FILE,
            FileTask.class,
            new FileCountHandler(new FileWordCounter(FileWordCounter.DEFAULT_CHUNK_BYTES)),
            base.withRetry(retry(3)))
        .handler(
            MERGE,
            MergeTask.class,
            new CountMerger(CountMerger.resultReader()),
            base.withRetry(retry(5)).withNonRetryable(NotAWordsDbException.class));
  }

  /** Short backoff: the failures worth retrying here (a busy disk or database) pass quickly. */
  private static RetryPolicy retry(int attempts) {
    return RetryPolicy.DEFAULT
        .withMaxAttempts(attempts)
        .withBackoff(Duration.ofMillis(250), 2.0, Duration.ofSeconds(10));
  }
}
