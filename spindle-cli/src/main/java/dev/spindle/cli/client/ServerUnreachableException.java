package dev.spindle.cli.client;

import java.net.ConnectException;
import java.net.http.HttpTimeoutException;

/** Nothing answered at the server's address, or the exchange broke before an answer. */
public final class ServerUnreachableException extends RuntimeException {
  ServerUnreachableException(String url, Exception cause) {
    super(describe(url, cause), cause);
  }

  private static String describe(String url, Exception cause) {
    return switch (cause) {
      case ConnectException c ->
          "no Spindle server at " + url + ": start one with `spindle server`";
      case HttpTimeoutException t -> "the Spindle server at " + url + " did not answer in time";
      case InterruptedException i -> "interrupted while waiting for the server at " + url;
      default -> "lost the connection to the Spindle server at " + url + ": " + cause;
    };
  }
}
