package dev.spindle.wordcount;

/** The file named as the words database is something else; no retry can write to it. */
public class NotAWordsDbException extends WordsDbException {
  public NotAWordsDbException(String message, Throwable cause) {
    super(message, cause);
  }
}
