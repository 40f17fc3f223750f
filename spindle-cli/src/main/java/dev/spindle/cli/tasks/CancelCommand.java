package dev.spindle.cli.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code spindle cancel ID}: POST /v1/tasks/{id}/cancel. */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    description = {
      "Cancel a task. A waiting task becomes CANCELLED at once; a running one is asked to stop"
          + " and becomes CANCELLED when its handler does. Exit 1 if there is no such task or it"
          + " had already finished."
    })
public final class CancelCommand implements Callable<Integer> {
  @Parameters(paramLabel = "ID", description = "the task id")
  long id;

  @Mixin ServerUrl server;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    JsonNode r = server.client().cancel(id);
    String outcome = r.path("outcome").asText();
    spec.commandLine()
        .getOut()
        .println(
            "CANCEL_REQUESTED".equals(outcome)
                ? "task " + id + " is running: asked it to stop (it becomes CANCELLED when it does)"
                : "task " + id + " cancelled");
    return ExitCode.OK;
  }
}
