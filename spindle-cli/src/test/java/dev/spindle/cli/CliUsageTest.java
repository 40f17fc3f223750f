package dev.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliUsageTest {
  // Nothing listens here: a usage error must be reported before anything is sent.
  private static final String NOWHERE = "--url=http://127.0.0.1:1";

  @Test
  void noArgumentsPrintsTheOverview() {
    CliRun r = CliRun.run();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("Usage: spindle", "server", "submit", "wordcount", "bench");
  }

  @Test
  void everyCommandHasHelp() {
    for (String command :
        new String[] {
          "server", "submit", "status", "list", "cancel", "retry", "queues", "wordcount", "bench"
        }) {
      CliRun r = CliRun.run(command, "--help");
      assertThat(r.exitCode()).as(command).isZero();
      assertThat(r.out()).as(command).contains("Usage: spindle " + command);
    }
    assertThat(CliRun.run("bench", "http", "--help").out()).contains("--clients", "--batch");
  }

  @Test
  void unknownOptionIsAUsageErrorWithAHint() {
    CliRun r = CliRun.run("submit", "noop", "--colour");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .contains("Unknown option: '--colour'")
        .contains("Try 'spindle submit --help' for more information.");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void unknownCommandSuggestsTheClosestOne() {
    CliRun r = CliRun.run("sumbit", "noop");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("submit");
  }

  @Test
  void submitNeedsAType() {
    CliRun r = CliRun.run("submit");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required parameter: 'TYPE'");
  }

  @Test
  void badDelayNamesTheFormatsAllowed() {
    CliRun r = CliRun.run("submit", "noop", "--delay", "soon", NOWHERE);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--delay", "'soon'", "30s", "PT1M30S");
  }

  @Test
  void delayAndRunAtExcludeEachOther() {
    CliRun r =
        CliRun.run("submit", "noop", "--delay", "5m", "--run-at", "2030-01-01T00:00:00Z", NOWHERE);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("mutually exclusive");
  }

  @Test
  void badInstantIsAUsageError() {
    CliRun r = CliRun.run("submit", "noop", "--deadline", "tomorrow", NOWHERE);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--deadline", "ISO-8601");
  }

  @Test
  void invalidJsonPayloadIsRefusedBeforeSending() {
    CliRun r = CliRun.run("submit", "sleep", "{millis: 5", NOWHERE);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("payload from PAYLOAD is not valid JSON");
  }

  @Test
  void invalidJsonOnStdinIsRefused() {
    CliRun r = CliRun.withStdin("not json", "submit", "sleep", "-", NOWHERE);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("payload from standard input is not valid JSON");
  }

  @Test
  void missingPayloadFileIsAUsageError() {
    CliRun r = CliRun.run("submit", "sleep", "--file", "/no/such/payload.json", NOWHERE);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("cannot read --file /no/such/payload.json");
  }

  @Test
  void payloadAndFileExcludeEachOther() {
    CliRun r = CliRun.run("submit", "sleep", "{}", "--file", "p.json", NOWHERE);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("either as PAYLOAD or with --file");
  }

  @Test
  void idMustBeANumber() {
    CliRun r = CliRun.run("status", "abc", NOWHERE);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("'abc'");
  }

  @Test
  void unknownStateListsTheStates() {
    CliRun r = CliRun.run("list", "--state", "DONE", NOWHERE);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("SUCCEEDED", "DEAD", "CANCELLED", "EXPIRED");
  }

  @Test
  void stateIsCaseInsensitive() {
    // Parses, then fails to reach the server: exit 1, not 2.
    CliRun r = CliRun.run("list", "--state", "dead", NOWHERE);
    assertThat(r.exitCode()).isEqualTo(1);
  }

  @Test
  void urlMustBeHttp() {
    CliRun r = CliRun.run("status", "1", "--url", "ftp://example.com");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("not an http:// or https:// URL");
  }

  @Test
  void noServerIsOneLineAndExitOne() {
    CliRun r = CliRun.run("status", "1", NOWHERE);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err().strip())
        .isEqualTo(
            "spindle status: no Spindle server at http://127.0.0.1:1: start one with `spindle"
                + " server`");
  }

  @Test
  void unreachablePostgresStoreIsReportedWithoutItsPassword() {
    CliRun r =
        CliRun.run("server", "--port", "0", "--store", "postgresql://me:secret@127.0.0.1:1/db");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("127.0.0.1:1").doesNotContain("secret");
  }

  @Test
  void storeUrlOfAnUnknownKindNamesTheAcceptedForms() {
    CliRun r = CliRun.run("server", "--store", "mysql://db/x");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("sqlite:PATH").contains("postgresql://");
  }

  @Test
  void dataAndStoreExcludeEachOther() {
    CliRun r = CliRun.run("server", "--data", "d", "--store", "sqlite:x.db");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("mutually exclusive");
  }

  @Test
  void queueNeedsNameAndConcurrency() {
    CliRun r = CliRun.run("server", "--queue", "default");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--queue");
  }

  @Test
  void missingHandlersPathIsAUsageError() {
    CliRun r = CliRun.run("server", "--handlers", "/no/such/handlers.jar");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("'--handlers': /no/such/handlers.jar does not exist");
  }

  @Test
  void aPortInUseIsOneLineAndExitOne(@TempDir Path data) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CliRun r =
          CliRun.run(
              "server",
              "--port",
              Integer.toString(taken.getLocalPort()),
              "--data",
              data.toString());
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.err().strip())
          .isEqualTo(
              "spindle server: cannot listen on 127.0.0.1:%d: the port is in use (another `spindle"
                      .formatted(taken.getLocalPort())
                  + " server`?); stop it or choose another port with --port");
    }
    assertThat(data).isEmptyDirectory(); // refused before the store was opened
  }

  @Test
  void zeroConcurrencyIsRefused() {
    CliRun r = CliRun.run("server", "--queue", "default=0", "--port", "1");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("concurrency must be at least 1");
  }

  @Test
  void wordcountOfAMissingDirectoryIsAUsageError() {
    CliRun r = CliRun.run("wordcount", "/no/such/dir");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("'/no/such/dir' is not there");
  }

  @Test
  void benchNeedsAScenario() {
    CliRun r = CliRun.run("bench");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required subcommand");
  }

  @Test
  void durationsReadShortFormsAndIso() {
    DurationConverter c = new DurationConverter();
    assertThat(c.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(c.convert("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.convert("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.convert("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(c.convert("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(c.convert("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
    assertThat(DurationConverter.format(Duration.ofMinutes(10))).isEqualTo("10m");
    assertThat(DurationConverter.format(Duration.ofSeconds(90))).isEqualTo("90s");
  }
}
