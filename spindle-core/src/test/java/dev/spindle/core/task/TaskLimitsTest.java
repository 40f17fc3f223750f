package dev.spindle.core.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TaskLimitsTest {
  private static final Pattern NAME = Pattern.compile(TaskLimits.NAME_PATTERN);

  @Test
  void nameCheckAcceptsExactlyWhatThePublishedPatternAccepts() {
    List<String> names =
        new ArrayList<>(
            List.of(
                "",
                "a",
                "emails",
                "orders.high-priority:v2_x",
                "Z9",
                "a b",
                "a/b",
                "é",
                "a\n",
                "ａ", // fullwidth letter: a letter, but not an ASCII one
                "a".repeat(128),
                "a".repeat(129)));
    // Every character below 0x180, alone and inside a valid name.
    for (char c = 0; c < 0x180; c++) {
      names.add(String.valueOf(c));
      names.add("x" + c + "y");
    }
    Random random = new Random(42);
    String alphabet = "aZ09._:-/ é\t";
    for (int i = 0; i < 10_000; i++) {
      StringBuilder name = new StringBuilder();
      int length = random.nextInt(132);
      for (int j = 0; j < length; j++) {
        name.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      names.add(name.toString());
    }

    for (String name : names) {
      assertThat(TaskLimits.isName(name)).as("'%s'", name).isEqualTo(NAME.matcher(name).matches());
    }
  }
}
