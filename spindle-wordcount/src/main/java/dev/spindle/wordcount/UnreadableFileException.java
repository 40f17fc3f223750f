package dev.spindle.wordcount;

import dev.spindle.core.NonRetryableException;

/** A file that no retry can count: missing, not a regular file, unreadable, or not UTF-8. */
final class UnreadableFileException extends NonRetryableException {
  UnreadableFileException(String message, Throwable cause) {
    super(message, cause);
  }

  UnreadableFileException(String message) {
    super(message);
  }
}
