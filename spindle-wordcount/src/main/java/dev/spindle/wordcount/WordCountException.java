package dev.spindle.wordcount;

/** A word-count run did not finish: the split or the merge task failed; the message says why. */
public class WordCountException extends RuntimeException {
  public WordCountException(String message) {
    super(message);
  }
}
