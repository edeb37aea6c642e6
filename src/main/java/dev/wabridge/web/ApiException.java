package dev.wabridge.web;

/** An error returned to an API caller as {@code {"error": {"code", "message"}}} with an HTTP status. */
public class ApiException extends RuntimeException {
  private final int status;
  private final String code;

  public ApiException(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public static ApiException badRequest(String code, String message) {
    return new ApiException(400, code, message);
  }

  public static ApiException invalid(String field, String message) {
    return new ApiException(422, "invalid_" + field.replaceAll("[^a-z0-9_]", "_"), field + ": " + message);
  }

  public static ApiException notFound(String what, String id) {
    return new ApiException(404, "not_found", "no " + what + " with id '" + id + "' in this workspace");
  }

  public static ApiException conflict(String code, String message) {
    return new ApiException(409, code, message);
  }
}
