package dev.spindle.cli;

import dev.spindle.bench.BenchMain;
import dev.spindle.cli.client.ProblemException;
import dev.spindle.cli.client.ServerUnreachableException;
import dev.spindle.cli.server.ServerCommand;
import dev.spindle.cli.tasks.CancelCommand;
import dev.spindle.cli.tasks.ListCommand;
import dev.spindle.cli.tasks.QueuesCommand;
import dev.spindle.cli.tasks.RetryCommand;
import dev.spindle.cli.tasks.StatusCommand;
import dev.spindle.cli.tasks.SubmitCommand;
import dev.spindle.cli.wordcount.WordCountCommand;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code spindle} command. Exit codes: 0 success; 1 the operation failed (a task ended DEAD,
 * CANCELLED or EXPIRED, the server refused or could not be reached, a file failed); 2 the command
 * line was wrong (unknown option, bad value, unreadable file, invalid JSON), detected before
 * anything was sent.
 */
@Command(
    name = "spindle",
    mixinStandardHelpOptions = true,
    versionProvider = SpindleCli.Version.class,
    subcommands = {
      ServerCommand.class,
      SubmitCommand.class,
      StatusCommand.class,
      ListCommand.class,
      CancelCommand.class,
      RetryCommand.class,
      QueuesCommand.class,
      WordCountCommand.class,
      BenchMain.class,
      HelpCommand.class
    },
    description = {
      "Spindle: durable task processing for the JVM.",
      "",
      "Start a server with `spindle server`, then submit and inspect tasks from another shell."
          + " Client commands talk to the server at --url, default $SPINDLE_URL or"
          + " http://127.0.0.1:7070."
    },
    footer = {
      "",
      "Exit codes: 0 success; 1 the operation failed (task ended DEAD/CANCELLED/EXPIRED, server"
          + " error or unreachable, unknown task id, a word-count file failed); 2 usage error."
    })
public final class SpindleCli implements Callable<Integer> {
  /**
   * Helidon logs through java.util.logging at INFO (features, bound sockets) on every start; the
   * server command prints its own startup line. Held here because JUL keeps loggers only weakly.
   */
  private static final Logger HELIDON_LOG = Logger.getLogger("io.helidon");

  private final InputStream stdin;

  @Spec CommandSpec spec;

  private SpindleCli(InputStream stdin) {
    this.stdin = stdin;
  }

  public static void main(String[] args) {
    HELIDON_LOG.setLevel(Level.WARNING);
    System.exit(commandLine(System.in).execute(args));
  }

  /** The configured command line; tests give it their own streams with setOut/setErr. */
  public static CommandLine commandLine(InputStream stdin) {
    CommandLine cli = new CommandLine(new SpindleCli(stdin));
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setUsageHelpAutoWidth(true); // the terminal's width when known, else 80 columns
    cli.setParameterExceptionHandler(new ShortUsageErrors());
    cli.setExecutionExceptionHandler(new FailureMessages());
    return cli;
  }

  /** Where {@code submit -} reads its payload. */
  public InputStream stdin() {
    return stdin;
  }

  /** Without a command: the overview, so that a bare {@code spindle} explains itself. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return ExitCode.OK;
  }

  /** A usage error prints one message and a pointer to --help, not the whole usage text. */
  private static final class ShortUsageErrors implements IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException e, String[] args) {
      CommandLine cmd = e.getCommandLine();
      PrintWriter err = cmd.getErr();
      err.println(
          cmd.getColorScheme().errorText(cmd.getCommandSpec().qualifiedName() + ": ")
              + e.getMessage());
      UnmatchedArgumentException.printSuggestions(e, err);
      err.printf("Try '%s --help' for more information.%n", cmd.getCommandSpec().qualifiedName());
      return ExitCode.USAGE;
    }
  }

  /**
   * An expected failure (a {@link CliFailure}, an unreachable server, an error answer of the
   * server) prints one line and ends with exit code 1; anything else is a bug and keeps its stack
   * trace.
   */
  private static final class FailureMessages implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
      PrintWriter err = cmd.getErr();
      String name = cmd.getCommandSpec().qualifiedName();
      switch (e) {
        case CliFailure f -> {
          err.println(name + ": " + f.getMessage());
          return f.exitCode();
        }
        case ServerUnreachableException u -> {
          err.println(name + ": " + u.getMessage());
          return ExitCode.SOFTWARE;
        }
        case ProblemException p -> {
          err.println(
              name
                  + ": "
                  + (p.status() >= 500 ? "server error " + p.status() + ": " : "")
                  + p.getMessage());
          return ExitCode.SOFTWARE;
        }
        default -> {
          // not expected: a bug, so keep the stack trace
        }
      }
      err.println(name + ": unexpected error: " + e);
      e.printStackTrace(err);
      return ExitCode.SOFTWARE;
    }
  }

  /** The version from the jar manifest (Implementation-Version), or "development" in an IDE. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = SpindleCli.class.getPackage().getImplementationVersion();
      return new String[] {
        "spindle " + (v != null ? v : "(development build)"), "Java " + Runtime.version()
      };
    }
  }
}
