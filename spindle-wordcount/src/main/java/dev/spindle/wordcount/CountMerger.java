package dev.spindle.wordcount;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.spindle.core.NonRetryableException;
import dev.spindle.core.TaskContext;
import dev.spindle.core.TaskHandler;
import dev.spindle.core.task.TaskInfo;
import dev.spindle.core.task.TaskState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Runs a {@code wordcount.merge} task: writes the counts of the file tasks it depended on into the
 * words database in one transaction. Succeeded files replace their earlier rows, failed ones are
 * recorded with their error, and the totals are recomputed, so a merge can run again (a retry, or
 * the same directory counted twice) without counting anything twice.
 */
final class CountMerger implements TaskHandler<MergeTask> {
  static final int TOP = 10;

  /** The exception class the engine writes before a message: noise for the person reading it. */
  private static final Pattern CLASS_PREFIX =
      Pattern.compile(
          "^(?:not retryable: )?((?:attempts used up: )?)"
              + "(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error): ");

  private final ObjectMapper json;

  CountMerger(ObjectMapper json) {
    this.json = json;
  }

  /**
   * A mapper for the file tasks' results. Their field names are the words counted, so Jackson's
   * field-name canonicalization (a symbol table meant for a few repeated property names) would
   * intern every distinct word; profiling showed it dominating the merge.
   */
  static ObjectMapper resultReader() {
    return JsonMapper.builder(
            JsonFactory.builder().disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build())
        .build();
  }

  @Override
  public Object handle(MergeTask task, TaskContext ctx) throws JsonProcessingException {
    if (task == null || task.db() == null || task.db().isBlank()) {
      throw new NonRetryableException("wordcount.merge: \"db\" is required");
    }
    Path db = Path.of(task.db());
    List<TaskInfo> files = ctx.dependencies();
    List<FileFailure> failed = new ArrayList<>(task.skipped());
    try (WordsDb words = WordsDb.open(db);
        WordsMerge merge = words.begin(ctx.taskId())) {
      for (TaskInfo file : files) {
        ctx.throwIfCancelled();
        if (file.state() == TaskState.SUCCEEDED && file.resultJson().isPresent()) {
          merge.counted(json.readValue(file.resultJson().get(), FileCount.class));
        } else {
          String path = json.readValue(file.payloadJson(), FileTask.class).path();
          failed.add(new FileFailure(path, errorOf(file)));
        }
      }
      failed.forEach(merge::failed);
      if (task.root() != null) {
        merge.pruneUnder(Path.of(task.root()));
      }
      merge.commit();
    }
    try (WordCountReport report = WordCountReport.open(db)) {
      return new MergeResult(
          files.size() + task.skipped().size(),
          failed,
          report.totalWords(),
          report.distinctWords(),
          report.top(TOP));
    }
  }

  /** The first line of the task's last error, without the exception class name. */
  static String errorOf(TaskInfo task) {
    String first = task.lastError().flatMap(e -> e.lines().findFirst()).orElse("").strip();
    if (first.isEmpty()) {
      return "task " + task.id() + " ended " + task.state();
    }
    return CLASS_PREFIX.matcher(first).replaceFirst("$1");
  }
}
