package dev.spindle.wordcount;

import dev.spindle.core.Spindle;
import dev.spindle.core.SpindleBuilder;
import dev.spindle.core.TaskRequest;
import dev.spindle.core.task.TaskInfo;
import dev.spindle.core.task.TaskState;
import dev.spindle.store.sqlite.SqliteTaskStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Runs the word-count pipeline in this process, on an embedded Spindle whose tasks are kept in
 * {@code <dataDir>/}{@value #TASKS_DB}: what {@code spindle wordcount DIR --db words.db} does.
 */
public final class WordCountRun {
  public static final String TASKS_DB = "wordcount-tasks.db";
  private static final Duration MIN_RETENTION = Duration.ofMinutes(1);

  /**
   * What a run did. {@code files} and {@code failedFiles} describe this run; the totals and the top
   * ten words are those of the whole words database afterwards.
   */
  public record Result(
      int files,
      List<FileFailure> failedFiles,
      long totalWords,
      long distinctWords,
      List<WordFrequency> top,
      Duration elapsed) {}

  private WordCountRun() {}

  /** Counts every regular file under {@code dir}, recursively, into {@code db}. */
  public static Result run(Path dir, Path db, Path dataDir, int concurrency, Duration timeout)
      throws InterruptedException, TimeoutException {
    return run(WordCountJob.ofDirectory(dir, db), dataDir, concurrency, timeout);
  }

  /**
   * Runs {@code job} with at most {@code concurrency} tasks at once and waits for its merge.
   *
   * @throws IllegalArgumentException if the job is invalid (nothing runs)
   * @throws WordCountException if the files could not be listed or the counts not written
   * @throws TimeoutException if the merge has not finished within {@code timeout}; the unfinished
   *     tasks are cancelled
   */
  public static Result run(WordCountJob job, Path dataDir, int concurrency, Duration timeout)
      throws InterruptedException, TimeoutException {
    job.validate();
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    SqliteTaskStore store = SqliteTaskStore.open(dataDir.resolve(TASKS_DB));
    SpindleBuilder builder;
    try {
      builder =
          Spindle.builder()
              .store(store)
              .queue(WordCount.QUEUE, concurrency)
              // The merge becomes READY in a maintenance pass: at most half a second after the last
              // file. Shorter costs CPU while the task store's purge pass scans every row.
              .maintenanceInterval(Duration.ofMillis(500))
              .pollInterval(Duration.ofMillis(100))
              // A file task's result holds every distinct word of its file, so finished tasks are
              // kept only as long as a merge of this run may still read them: the run's timeout.
              // The next run purges them, keeping the task store from growing run after run.
              .retention(timeout.compareTo(MIN_RETENTION) > 0 ? timeout : MIN_RETENTION)
              .shutdownTimeout(Duration.ofSeconds(5));
      WordCount.register(builder);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    try (Spindle spindle = builder.build().start()) {
      long splitId = spindle.submit(TaskRequest.of(WordCount.SPLIT, job));
      TaskInfo split = awaitFinal(spindle, splitId, deadline, timeout, List.of());
      if (split.state() != TaskState.SUCCEEDED) {
        throw new WordCountException(
            "could not list the files to count: " + CountMerger.errorOf(split));
      }
      SplitResult files = spindle.result(splitId, SplitResult.class).orElseThrow();
      long mergeId = files.mergeTaskId();
      List<Long> fileIds = spindle.get(mergeId).map(TaskInfo::dependsOn).orElse(List.of());
      TaskInfo merge = awaitFinal(spindle, mergeId, deadline, timeout, fileIds);
      if (merge.state() != TaskState.SUCCEEDED) {
        throw new WordCountException(
            "could not write the counts into " + job.db() + ": " + CountMerger.errorOf(merge));
      }
      MergeResult m = spindle.result(merge.id(), MergeResult.class).orElseThrow();
      return new Result(
          m.files(),
          m.failed(),
          m.totalWords(),
          m.distinctWords(),
          m.top(),
          Duration.ofNanos(System.nanoTime() - start));
    }
  }

  /**
   * Waits for task {@code id}; on timeout cancels it and {@code alsoCancel}, so that a later run on
   * the same task store neither spends its time on this run's leftovers nor has an old merge
   * overwrite its counts.
   */
  private static TaskInfo awaitFinal(
      Spindle spindle, long id, long deadline, Duration timeout, List<Long> alsoCancel)
      throws InterruptedException, TimeoutException {
    try {
      return spindle.awaitFinal(id, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    } catch (TimeoutException e) {
      spindle.cancel(id);
      for (long other : alsoCancel) {
        spindle.cancel(other);
      }
      throw new TimeoutException("word count did not finish within " + timeout);
    }
  }
}
