package dev.spindle.cli.tasks;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code spindle retry ID}: POST /v1/tasks/{id}/retry. */
@Command(
    name = "retry",
    mixinStandardHelpOptions = true,
    description = {
      "Run a DEAD, CANCELLED or EXPIRED task again, with a fresh attempt budget. Exit 1 if"
          + " there is no such task or it is not in one of those states."
    })
public final class RetryCommand implements Callable<Integer> {
  @Parameters(paramLabel = "ID", description = "the task id")
  long id;

  @Mixin ServerUrl server;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    server.client().retry(id);
    spec.commandLine().getOut().println("task " + id + " requeued with a fresh attempt budget");
    return ExitCode.OK;
  }
}
