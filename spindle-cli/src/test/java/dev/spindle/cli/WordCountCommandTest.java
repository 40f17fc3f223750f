package dev.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordCountCommandTest {
  @TempDir Path tmp;

  @Test
  void printsTotalsAndTopWords() throws Exception {
    Path corpus = Files.createDirectories(tmp.resolve("corpus/nested"));
    Files.writeString(tmp.resolve("corpus/a.txt"), "the cat and the hat\n");
    Files.writeString(corpus.resolve("b.txt"), "The end. THE END!\n");

    CliRun r = run(tmp.resolve("corpus"), "--top", "2");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("files           2 counted, 0 failed")
        .contains("total words     9")
        .contains("distinct words  5")
        .contains("top 2 words")
        .containsPattern("(?m)^  the +4$")
        .containsPattern("(?m)^  end +2$")
        .contains("elapsed");
  }

  @Test
  void aFileThatFailsIsListedAndExitsOneWithTheCountsOfTheOthers() throws Exception {
    Path corpus = Files.createDirectories(tmp.resolve("corpus"));
    Files.writeString(corpus.resolve("good.txt"), "one two three\n");
    Files.write(corpus.resolve("bad.bin"), new byte[] {'a', ' ', (byte) 0xC3, (byte) 0x28, ' '});

    CliRun r = run(corpus);

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out())
        .contains("files           1 counted, 1 failed")
        .containsPattern("(?m)^  failed  .*bad\\.bin: ")
        .contains("total words     3");
  }

  private CliRun run(Path corpus, String... more) {
    String[] args = new String[4 + more.length + 2];
    args[0] = "wordcount";
    args[1] = corpus.toString();
    args[2] = "--db=" + tmp.resolve("words.db");
    args[3] = "--data=" + tmp.resolve("data");
    System.arraycopy(more, 0, args, 4, more.length);
    args[4 + more.length] = "--concurrency=2";
    args[5 + more.length] = "--timeout=2m";
    return CliRun.run(args);
  }
}
