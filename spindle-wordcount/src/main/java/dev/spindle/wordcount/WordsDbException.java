package dev.spindle.wordcount;

/** The words database could not be opened, read or written; the message names the file. */
public class WordsDbException extends RuntimeException {
  public WordsDbException(String message, Throwable cause) {
    super(message, cause);
  }

  public WordsDbException(String message) {
    super(message);
  }
}
