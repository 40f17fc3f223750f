package dev.spindle.wordcount;

import dev.spindle.core.NonRetryableException;
import dev.spindle.core.TaskContext;
import dev.spindle.core.TaskHandler;
import dev.spindle.core.TaskRequest;
import dev.spindle.core.task.TaskLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Runs a {@code wordcount} task: lists the files, submits one {@code wordcount.file} task per file
 * and a {@code wordcount.merge} task that waits for all of them.
 *
 * <p>Every child carries an idempotency key made of this task's id and the child's identity, so a
 * retried attempt gets the children the first attempt already submitted instead of new ones.
 */
final class CorpusSplitter implements TaskHandler<WordCountJob> {
  /** Children submitted per transaction: bounds one write without making a big job slow. */
  static final int SUBMIT_BATCH = 1000;

  @Override
  public Object handle(WordCountJob job, TaskContext ctx) throws IOException {
    if (job == null) {
      throw new NonRetryableException(
          "wordcount: the payload is empty; send {\"dir\": ..., \"db\": ...}"
              + " or {\"paths\": [...], \"db\": ...}");
    }
    try {
      job.validate();
    } catch (IllegalArgumentException e) {
      throw new NonRetryableException(e.getMessage(), e);
    }
    Path db = Path.of(job.db()).toAbsolutePath().normalize();
    List<Path> entries =
        job.dir() != null
            ? List.of(Path.of(job.dir()))
            : job.paths().stream().map(Path::of).toList();
    FileLister.Listing listing = new FileLister(outputFiles(db)).list(entries);
    if (listing.files().size() > TaskLimits.MAX_DEPENDENCIES) {
      throw new NonRetryableException(
          "wordcount: found "
              + listing.files().size()
              + " files, more than the "
              + TaskLimits.MAX_DEPENDENCIES
              + " one merge can wait for; count the subdirectories as separate jobs into the"
              + " same db");
    }

    List<Long> fileIds = new ArrayList<>(listing.files().size());
    List<TaskRequest> batch = new ArrayList<>(SUBMIT_BATCH);
    for (Path file : listing.files()) {
      String path = file.toString();
      batch.add(
          TaskRequest.of(WordCount.FILE, new FileTask(path))
              .withIdempotencyKey(childKey(ctx.taskId(), "file", path)));
      if (batch.size() == SUBMIT_BATCH) {
        fileIds.addAll(ctx.submitAll(batch));
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      fileIds.addAll(ctx.submitAll(batch));
    }

    String root =
        job.dir() != null ? Path.of(job.dir()).toAbsolutePath().normalize().toString() : null;
    // Keyed by the file ids too: should a retry list a different set of files, its merge is a new
    // task rather than a clash with the first attempt's. Two merges are harmless; both replace
    // rows.
    TaskRequest merge =
        TaskRequest.of(WordCount.MERGE, new MergeTask(db.toString(), root, listing.skipped()))
            .withIdempotencyKey(childKey(ctx.taskId(), "merge", fileIds.toString()));
    if (!fileIds.isEmpty()) {
      merge = merge.withDependsOn(fileIds);
    }
    long mergeId = ctx.submit(merge);
    return new SplitResult(fileIds.size(), mergeId, listing.skipped());
  }

  private static Set<Path> outputFiles(Path db) {
    String name = db.getFileName().toString();
    return Set.of(
        db,
        db.resolveSibling(name + "-wal"),
        db.resolveSibling(name + "-shm"),
        db.resolveSibling(name + "-journal"));
  }

  /** {@code wordcount:<parent id>:<kind>:<hash>}, short whatever the path length. */
  static String childKey(long parentId, String kind, String identity) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      return "wordcount:" + parentId + ":" + kind + ":" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
