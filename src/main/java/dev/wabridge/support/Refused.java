package dev.wabridge.support;

/**
 * A request the product refuses, said in its own words: why ({@link Reason}), a stable machine code and a message
 * that tells the caller what to do next. Services throw it; only the web layer turns a reason into an HTTP status,
 * so no service knows it is being called over HTTP.
 */
public class Refused extends RuntimeException {
  /** Why a request is refused; the web layer maps each to one HTTP status. */
  public enum Reason {
    /** The request cannot be read (not JSON, a header too long). */
    MALFORMED,
    /** Its signature or credentials do not verify. */
    UNAUTHENTICATED,
    /** What it names does not exist for this caller. */
    NOT_FOUND,
    /** The state of what it names forbids it now (handed off, agent deleted). */
    CONFLICT,
    /** It reads, but a field is wrong or a quota would be exceeded. */
    INVALID,
    /** Too much is waiting; retry after {@link #retryAfterSeconds()}. */
    BUSY
  }

  private final Reason reason;
  private final String code;
  private final long retryAfterSeconds;

  public Refused(Reason reason, String code, String message) {
    this(reason, code, message, 0);
  }

  public Refused(Reason reason, String code, String message, long retryAfterSeconds) {
    super(message, null, false, false);
    this.reason = reason;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public Reason reason() {
    return reason;
  }

  public String code() {
    return code;
  }

  /** How long the caller should wait before retrying; 0 when it need not. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
