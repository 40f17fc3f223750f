package dev.spindle.store.postgres;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Accepts the two URL forms people have at hand: pgjdbc's {@code jdbc:postgresql://host:port/db?
 * user=...} and libpq's {@code postgresql://user:password@host:port/db?...} (also {@code
 * postgres://}), and hides passwords when a URL is shown in a message or log.
 */
final class PostgresUrls {
  private static final String JDBC_PREFIX = "jdbc:postgresql:";
  private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)([?&;]password=)[^&;]*");
  private static final Pattern USERINFO_PASSWORD = Pattern.compile("(//[^/@:]*):[^/@]*@");

  private PostgresUrls() {}

  /**
   * The pgjdbc form of {@code url}.
   *
   * @throws IllegalArgumentException naming what is wrong with the URL
   */
  static String toJdbc(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException(
          "the PostgreSQL URL is empty; give one like postgresql://user@host:5432/db");
    }
    String trimmed = url.strip();
    if (trimmed.startsWith(JDBC_PREFIX)) {
      if (!trimmed.startsWith(JDBC_PREFIX + "//")) {
        throw invalid(url, "it must name a host: jdbc:postgresql://host:5432/db");
      }
      return trimmed;
    }
    String rest;
    if (trimmed.startsWith("postgresql://")) {
      rest = trimmed.substring("postgresql://".length());
    } else if (trimmed.startsWith("postgres://")) {
      rest = trimmed.substring("postgres://".length());
    } else {
      throw invalid(url, "it must start with jdbc:postgresql://, postgresql:// or postgres://");
    }
    return fromLibpq(url, rest);
  }

  private static String fromLibpq(String original, String rest) {
    String query = "";
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    String userInfo = null;
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      userInfo = rest.substring(0, at);
      rest = rest.substring(at + 1);
    }
    int slash = rest.indexOf('/');
    String hosts = slash >= 0 ? rest.substring(0, slash) : rest;
    String database = slash >= 0 ? rest.substring(slash + 1) : "";
    if (hosts.isEmpty()) {
      throw invalid(original, "it names no host: postgresql://user@host:5432/db");
    }
    StringBuilder params = new StringBuilder(query);
    if (userInfo != null && !userInfo.isEmpty()) {
      int colon = userInfo.indexOf(':');
      String user = colon >= 0 ? userInfo.substring(0, colon) : userInfo;
      appendParam(params, "user", decode(original, user));
      if (colon >= 0) {
        appendParam(params, "password", decode(original, userInfo.substring(colon + 1)));
      }
    }
    return "jdbc:postgresql://" + hosts + "/" + database + (params.isEmpty() ? "" : "?" + params);
  }

  private static void appendParam(StringBuilder params, String name, String value) {
    if (!params.isEmpty()) {
      params.append('&');
    }
    params.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
  }

  private static String decode(String original, String part) {
    try {
      return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid(original, "its user or password has a bad %-escape");
    }
  }

  private static IllegalArgumentException invalid(String url, String why) {
    return new IllegalArgumentException(
        "'" + redact(url) + "' is not a PostgreSQL URL Spindle can use: " + why);
  }

  /** {@code url} with any password replaced by {@code ***}, fit for messages and logs. */
  static String redact(String url) {
    if (url == null) {
      return "null";
    }
    String out = PASSWORD_PARAM.matcher(url).replaceAll("$1***");
    return USERINFO_PASSWORD.matcher(out).replaceAll("$1:***@");
  }
}
