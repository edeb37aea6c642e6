package dev.wabridge.whatsapp;

import java.util.Set;

/**
 * Whether a Graph failure is worth retrying, by Meta's error code rather than the HTTP status
 * (Meta's Cloud API error codes).
 */
public final class ErrorPolicy {
  private static final Set<String> RETRYABLE = Set.of(
      "130429", // throughput reached
      "131056", // pair rate limit
      "4", "17", "80007", // API call rate limits
      "1", "2", "131000", "131016", "131057", "133004", // unknown / service unavailable / maintenance
      "timeout", "connection");

  /** Pair rate limit: Meta asks for 4^n seconds between retries. */
  public static final String PAIR_RATE_LIMIT = "131056";

  private ErrorPolicy() {
  }

  public static boolean retryable(GraphError e) {
    if (e.code() != null && RETRYABLE.contains(e.code())) {
      return true;
    }
    if (Boolean.TRUE.equals(e.isTransient())) {
      return true;
    }
    return e.httpStatus() >= 500 && e.code() != null && e.code().startsWith("http_");
  }
}
