package dev.spindle.wordcount;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists the files a job counts. Directories are walked recursively, following symbolic links but
 * never around a loop; only regular files are kept, sorted by path. Entries that are not
 * directories are kept as given, so a missing file fails its own task with a clear error rather
 * than the whole job.
 */
final class FileLister {
  private static final Logger log = LoggerFactory.getLogger(FileLister.class);

  /** Files to count, absolute and normalized, and what could not be listed. */
  record Listing(List<Path> files, List<FileFailure> skipped) {}

  private final Set<Path> excluded;

  /**
   * @param excluded files never counted: the output database and its journal files
   */
  FileLister(Set<Path> excluded) {
    this.excluded = Set.copyOf(excluded);
  }

  Listing list(List<Path> entries) throws IOException {
    Set<Path> files = new LinkedHashSet<>();
    List<FileFailure> skipped = new ArrayList<>();
    for (Path entry : entries) {
      Path p = entry.toAbsolutePath().normalize();
      if (Files.isDirectory(p)) {
        files.addAll(walk(p, skipped));
      } else if (!excluded.contains(p)) {
        files.add(p);
      }
    }
    return new Listing(List.copyOf(files), List.copyOf(skipped));
  }

  private List<Path> walk(Path root, List<FileFailure> skipped) throws IOException {
    List<Path> found = new ArrayList<>();
    Files.walkFileTree(
        root,
        EnumSet.of(FileVisitOption.FOLLOW_LINKS),
        Integer.MAX_VALUE,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile()) {
              if (!excluded.contains(file)) {
                found.add(file);
              }
            } else if (attrs.isSymbolicLink()) {
              // Following links, the walker reports a link as a link only when its target is gone.
              skipped.add(new FileFailure(file.toString(), "broken symbolic link"));
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            if (e instanceof FileSystemLoopException) {
              log.debug("not following {}: it links back to a directory above it", file);
            } else {
              skipped.add(new FileFailure(file.toString(), "cannot list: " + describe(e)));
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) {
            if (e != null) {
              skipped.add(
                  new FileFailure(dir.toString(), "listing stopped part way: " + describe(e)));
            }
            return FileVisitResult.CONTINUE;
          }
        });
    Collections.sort(found);
    return found;
  }

  private static String describe(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
