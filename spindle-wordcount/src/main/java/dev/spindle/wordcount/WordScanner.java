package dev.spindle.wordcount;

import java.nio.CharBuffer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the words of text that arrives in chunks. A word is a match of {@code \b\w+\b} with
 * Unicode character classes, lower-cased with {@link Locale#ROOT}.
 *
 * <p>A match that touches the end of a chunk may go on in the next one, so it is not counted yet:
 * it is carried to the front of the buffer and scanned again with the next chunk. Since {@code \w+}
 * is greedy and bounded by {@code \b}, matches are exactly the maximal runs of word characters, so
 * scanning in chunks finds the same words as scanning the whole text at once.
 */
final class WordScanner {
  static final Pattern WORD = Pattern.compile("\\b\\w+\\b", Pattern.UNICODE_CHARACTER_CLASS);

  private final Map<String, Counter> counts = new HashMap<>();
  private long words;

  /**
   * Counts the complete words in {@code chars} (in write mode: data from 0 to its position) and
   * leaves the buffer in write mode holding only the carried, possibly unfinished last word.
   *
   * @param last true if no more text follows, so the final word is complete too
   * @return the buffer to write the next chunk into: {@code chars}, or a larger copy when a single
   *     word has grown past half of it
   */
  CharBuffer scan(CharBuffer chars, boolean last) {
    chars.flip();
    int length = chars.limit();
    Matcher m = WORD.matcher(new CharArraySequence(chars.array(), length));
    int carryFrom = length;
    while (m.find()) {
      if (!last && m.end() == length) {
        carryFrom = m.start();
        break;
      }
      add(m.group());
    }
    chars.position(carryFrom);
    chars.compact();
    if (chars.position() > chars.capacity() / 2) {
      // One word longer than half the buffer: grow so that every chunk still makes progress.
      CharBuffer bigger = CharBuffer.allocate(chars.capacity() * 2);
      chars.flip();
      bigger.put(chars);
      return bigger;
    }
    return chars;
  }

  private void add(String word) {
    words++;
    counts.computeIfAbsent(word.toLowerCase(Locale.ROOT), w -> new Counter()).n++;
  }

  long words() {
    return words;
  }

  /** Occurrences per lower-cased word. */
  Map<String, Long> counts() {
    Map<String, Long> out = HashMap.newHashMap(counts.size());
    counts.forEach((w, c) -> out.put(w, c.n));
    return out;
  }

  private static final class Counter {
    long n;
  }

  /**
   * The buffer's chars as a plain {@link CharSequence}. The matcher calls {@code charAt} and {@code
   * length} for every char; on a {@link CharBuffer} each call also re-derives position and limit,
   * which profiling showed costs more than the regex itself.
   */
  private record CharArraySequence(char[] buffer, int length) implements CharSequence {
    @Override
    public char charAt(int index) {
      return buffer[index];
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new String(buffer, start, end - start);
    }

    @Override
    public String toString() {
      return new String(buffer, 0, length);
    }
  }
}
