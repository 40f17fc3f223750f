package dev.spindle.wordcount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileWordCounterTest {
  private static final Runnable NO_CHECKPOINT = () -> {};

  @TempDir Path dir;

  private FileCount count(Path file, int chunkBytes) throws Exception {
    return new FileWordCounter(chunkBytes).count(file, NO_CHECKPOINT);
  }

  @ParameterizedTest
  @ValueSource(ints = {4, 5, 6, 7, 13, 64, 1000, FileWordCounter.DEFAULT_CHUNK_BYTES})
  void chunkedCountMatchesCountingTheWholeTextAtOnce(int chunkBytes) throws Exception {
    String text = new Corpus(chunkBytes, 200).text(20_000);
    Path file = Files.writeString(dir.resolve("t.txt"), text);

    FileCount counted = count(file, chunkBytes);

    Map<String, Long> expected = Corpus.reference(text);
    assertThat(counted.counts()).isEqualTo(expected);
    assertThat(counted.words()).isEqualTo(Corpus.sum(expected));
    assertThat(counted.path()).isEqualTo(file.toString());
  }

  @Test
  void wordsAreFoldedToLowerCaseWithUnicodeWordCharacters() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("u.txt"),
            "Straße STRASSE straße; naïve NAÏVE nai\u0308ve — Привет, ПРИВЕТ! 日本語 ١٢٣ snake_case");

    Map<String, Long> counts = count(file, FileWordCounter.DEFAULT_CHUNK_BYTES).counts();

    assertThat(counts)
        .containsEntry("straße", 2L)
        .containsEntry("strasse", 1L)
        .containsEntry("naïve", 2L)
        .containsEntry("nai\u0308ve", 1L)
        .containsEntry("привет", 2L)
        .containsEntry("日本語", 1L)
        .containsEntry("١٢٣", 1L)
        .containsEntry("snake_case", 1L)
        .hasSize(8);
  }

  @Test
  void wordAcrossThe64KibChunkBoundaryIsCountedOnceAndWhole() throws Exception {
    int chunk = FileWordCounter.DEFAULT_CHUNK_BYTES;
    // "Grüße" straddles the boundary, and its two-byte "ü" is cut in half by it.
    String filler = "x ".repeat((chunk - 4) / 2) + " ";
    String text = filler + "Grüße end";
    assertThat(filler.length() + 2).isEqualTo(chunk - 1); // "ü" spans bytes chunk-1 and chunk
    Path file = Files.writeString(dir.resolve("b.txt"), text);

    Map<String, Long> counts = count(file, chunk).counts();

    assertThat(counts).containsEntry("grüße", 1L).containsEntry("end", 1L);
    assertThat(counts).doesNotContainKeys("gr", "ße", "üße", "gr\uFFFD");
    assertThat(counts).isEqualTo(Corpus.reference(text));
  }

  @Test
  void wordLongerThanTheBufferIsCountedWhole() throws Exception {
    String giant = "a".repeat(100) + "Ω".repeat(50);
    Path file = Files.writeString(dir.resolve("g.txt"), "one " + giant + " two");

    FileCount counted = count(file, 8);

    assertThat(counted.counts()).containsEntry(giant.toLowerCase(), 1L).hasSize(3);
  }

  @Test
  void emptyFileHasNoWords() throws Exception {
    Path file = Files.write(dir.resolve("empty.txt"), new byte[0]);

    FileCount counted = count(file, FileWordCounter.DEFAULT_CHUNK_BYTES);

    assertThat(counted.words()).isZero();
    assertThat(counted.counts()).isEmpty();
  }

  @Test
  void fileThatIsNotUtf8FailsWithTheOffsetOfTheFirstBadByte() throws Exception {
    byte[] latin1 = "ok café".getBytes(StandardCharsets.ISO_8859_1); // é is 0xE9 at offset 6
    Path file = Files.write(dir.resolve("latin1.txt"), latin1);

    assertThatThrownBy(() -> count(file, 4))
        .isInstanceOf(FileWordCounter.MalformedUtf8Exception.class)
        .hasMessage("not valid UTF-8 at byte offset 6");
  }

  @Test
  void truncatedSequenceAtTheEndIsNotValidUtf8() throws Exception {
    byte[] bytes = {'h', 'i', ' ', (byte) 0xC3}; // the first byte of a two-byte sequence
    Path file = Files.write(dir.resolve("cut.txt"), bytes);

    assertThatThrownBy(() -> count(file, 64))
        .isInstanceOf(FileWordCounter.MalformedUtf8Exception.class)
        .hasMessage("not valid UTF-8 at byte offset 3");
  }

  @Test
  void checkpointRunsBetweenChunksAndCanStopTheCount() throws Exception {
    Path file = Files.writeString(dir.resolve("long.txt"), "word ".repeat(1000));
    int[] calls = {0};

    assertThatThrownBy(
            () ->
                new FileWordCounter(64)
                    .count(
                        file,
                        () -> {
                          if (++calls[0] == 3) {
                            throw new IllegalStateException("cancelled");
                          }
                        }))
        .hasMessage("cancelled");
    assertThat(calls[0]).isEqualTo(3);
  }
}
