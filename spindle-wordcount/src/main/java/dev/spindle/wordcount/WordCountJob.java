package dev.spindle.wordcount;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The payload of a {@code wordcount} task: count the words of every regular file under {@code dir}
 * (recursively), or of the listed {@code paths}, into the SQLite file {@code db}.
 *
 * <pre>{@code
 * {"dir": "/srv/corpus", "db": "/srv/words.db"}
 * {"paths": ["/srv/a.txt", "/srv/more"], "db": "/srv/words.db"}
 * }</pre>
 *
 * <p>Exactly one of {@code dir} and {@code paths} is given. A directory in {@code paths} is counted
 * recursively like {@code dir}; a listed file that cannot be read fails its own task only. Relative
 * paths are resolved against the working directory of the worker that splits the job.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WordCountJob(String dir, List<String> paths, String db) {
  public WordCountJob {
    paths = paths == null ? null : List.copyOf(paths);
  }

  public static WordCountJob ofDirectory(Path dir, Path db) {
    return new WordCountJob(dir.toString(), null, db.toString());
  }

  public static WordCountJob ofPaths(List<Path> paths, Path db) {
    return new WordCountJob(null, paths.stream().map(Path::toString).toList(), db.toString());
  }

  /**
   * Checks that the job can start, so that a bad request is refused before anything runs.
   *
   * @throws IllegalArgumentException naming the field at fault and what is allowed
   */
  public void validate() {
    if (db == null || db.isBlank()) {
      throw new IllegalArgumentException(
          "wordcount: \"db\" is required: the SQLite file to write the counts into");
    }
    if (Files.isDirectory(Path.of(db))) {
      throw new IllegalArgumentException(
          "wordcount: \"db\" " + db + " is a directory; name the SQLite file to write");
    }
    if ((dir == null) == (paths == null)) {
      throw new IllegalArgumentException(
          "wordcount: give exactly one of \"dir\" (a directory to count recursively) or"
              + " \"paths\" (a list of files and directories), "
              + (dir == null ? "got neither" : "not both"));
    }
    if (dir != null) {
      Path d = Path.of(dir);
      if (!Files.exists(d)) {
        throw new IllegalArgumentException(
            "wordcount: \"dir\" " + d.toAbsolutePath() + " does not exist");
      }
      if (!Files.isDirectory(d)) {
        throw new IllegalArgumentException(
            "wordcount: \"dir\" "
                + d.toAbsolutePath()
                + " is not a directory; to count single files, list them in \"paths\"");
      }
    } else {
      if (paths.isEmpty()) {
        throw new IllegalArgumentException(
            "wordcount: \"paths\" is empty; list at least one file or directory");
      }
      for (int i = 0; i < paths.size(); i++) {
        if (paths.get(i) == null || paths.get(i).isBlank()) {
          throw new IllegalArgumentException("wordcount: \"paths\"[" + i + "] is blank");
        }
      }
    }
  }
}
