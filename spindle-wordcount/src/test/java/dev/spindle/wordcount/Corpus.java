package dev.spindle.wordcount;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Generated test text and the straightforward reference count it is checked against. */
final class Corpus {
  /** Words that stress case folding and Unicode classes, mixed into every generated text. */
  static final List<String> UNICODE_WORDS =
      List.of(
          "Straße",
          "STRASSE",
          "naïve",
          "NAÏVE",
          "nai\u0308ve", // the same word with a combining diaeresis
          "Привет",
          "МИР",
          "日本語",
          "١٢٣", // Arabic-Indic digits
          "snake_case",
          "𝐁𝐨𝐥𝐝", // mathematical bold letters, outside the BMP
          "İstanbul",
          "Ǆemal");

  private static final List<String> SEPARATORS =
      List.of(" ", " ", " ", "\n", ", ", ". ", "\t", " — ", "…", "«", "» ", "-", "'", "😀", "\r\n");

  private final SplittableRandom random;
  private final String[] vocabulary;
  private final double[] cumulative;

  /**
   * A vocabulary of {@code size} words (synthetic ones plus {@link #UNICODE_WORDS}), Zipf-drawn.
   */
  Corpus(long seed, int size) {
    this.random = new SplittableRandom(seed);
    List<String> words = new ArrayList<>(UNICODE_WORDS);
    while (words.size() < size) {
      words.add(syntheticWord());
    }
    vocabulary = words.toArray(String[]::new);
    cumulative = new double[vocabulary.length];
    double sum = 0;
    for (int i = 0; i < vocabulary.length; i++) {
      sum += 1.0 / (i + 1);
      cumulative[i] = sum;
    }
    for (int i = 0; i < cumulative.length; i++) {
      cumulative[i] /= sum;
    }
  }

  private String syntheticWord() {
    int length = 2 + random.nextInt(9);
    StringBuilder w = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      w.append((char) ((random.nextInt(8) == 0 ? 'A' : 'a') + random.nextInt(26)));
    }
    return w.toString();
  }

  /** About {@code chars} characters of words and separators. */
  String text(int chars) {
    StringBuilder out = new StringBuilder(chars + 32);
    while (out.length() < chars) {
      int i = Arrays.binarySearch(cumulative, random.nextDouble());
      out.append(vocabulary[i < 0 ? Math.min(-i - 1, vocabulary.length - 1) : i]);
      out.append(SEPARATORS.get(random.nextInt(SEPARATORS.size())));
    }
    return out.toString();
  }

  /** Writes {@code files} files of about {@code chars} characters each, spread over nested dirs. */
  List<Path> writeTree(Path root, int files, int chars) throws IOException {
    List<Path> written = new ArrayList<>(files);
    for (int i = 0; i < files; i++) {
      Path dir = root.resolve("d" + (i % 4)).resolve("e" + (i % 3));
      if (i % 5 == 0) {
        dir = root; // some files at the top
      }
      Files.createDirectories(dir);
      Path file = dir.resolve("file-" + i + ".txt");
      Files.writeString(file, text(chars), StandardCharsets.UTF_8);
      written.add(file);
    }
    return written;
  }

  /** The reference: the whole text at once, each match of the regex lower-cased. */
  static Map<String, Long> reference(String text) {
    Map<String, Long> counts = new HashMap<>();
    Matcher m = Pattern.compile("\\b\\w+\\b", Pattern.UNICODE_CHARACTER_CLASS).matcher(text);
    while (m.find()) {
      counts.merge(m.group().toLowerCase(Locale.ROOT), 1L, Long::sum);
    }
    return counts;
  }

  static Map<String, Long> reference(Collection<Path> files) throws IOException {
    Map<String, Long> total = new HashMap<>();
    for (Path f : files) {
      reference(Files.readString(f)).forEach((w, n) -> total.merge(w, n, Long::sum));
    }
    return total;
  }

  static long sum(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }
}
