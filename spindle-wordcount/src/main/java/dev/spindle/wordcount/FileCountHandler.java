package dev.spindle.wordcount;

import dev.spindle.core.NonRetryableException;
import dev.spindle.core.TaskContext;
import dev.spindle.core.TaskHandler;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Runs a {@code wordcount.file} task: counts the words of one file. A file that cannot succeed
 * (missing, a directory, unreadable, not UTF-8) fails its task for good; any other I/O error is
 * retried.
 */
final class FileCountHandler implements TaskHandler<FileTask> {
  private final FileWordCounter counter;

  FileCountHandler(FileWordCounter counter) {
    this.counter = counter;
  }

  @Override
  public Object handle(FileTask task, TaskContext ctx) throws IOException, InterruptedException {
    if (task == null || task.path() == null || task.path().isBlank()) {
      throw new NonRetryableException("wordcount.file: \"path\" is required");
    }
    Path file = Path.of(task.path());
    try {
      BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
      if (attrs.isDirectory()) {
        throw new UnreadableFileException("cannot count " + file + ": it is a directory");
      }
      if (!attrs.isRegularFile()) {
        throw new UnreadableFileException(
            "cannot count " + file + ": not a regular file (a device, pipe or socket)");
      }
      return counter.count(file, ctx::throwIfCancelled);
    } catch (NoSuchFileException e) {
      throw new UnreadableFileException("cannot count " + file + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new UnreadableFileException("cannot count " + file + ": permission denied", e);
    } catch (FileWordCounter.MalformedUtf8Exception e) {
      throw new UnreadableFileException(
          "cannot count " + file + ": " + e.getMessage() + "; only UTF-8 text is counted", e);
    } catch (IOException e) {
      throw new IOException("could not read " + file + ": " + e.getMessage(), e);
    }
  }
}
