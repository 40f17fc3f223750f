package dev.spindle.cli.tasks;

import dev.spindle.cli.client.SpindleClient;
import java.net.URI;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code --url} option of every client command. */
public final class ServerUrl {
  @Option(
      names = "--url",
      paramLabel = "URL",
      defaultValue = "${env:SPINDLE_URL:-http://127.0.0.1:7070}",
      description = "the Spindle server; default $SPINDLE_URL or http://127.0.0.1:7070")
  URI url;

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /** A client for the server, once the URL is known to be an http(s) address. */
  public SpindleClient client() {
    String scheme = url.getScheme();
    if (url.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
      throw new ParameterException(
          command.commandLine(),
          "Invalid value for option '--url': '" + url + "' is not an http:// or https:// URL");
    }
    return new SpindleClient(url);
  }
}
