package io.universepush.api.system;

import org.springframework.http.HttpStatus;

/** An error with its HTTP status and code, rendered by {@link ApiExceptionHandler}. */
public class ApiException extends RuntimeException {
  private final HttpStatus status;
  private final String code;

  public ApiException(HttpStatus status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  public HttpStatus status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** 400 {@code invalid_field}, the message starting with the field's JSON name. */
  public static ApiException invalidField(String field, String problem) {
    return new ApiException(HttpStatus.BAD_REQUEST, "invalid_field", field + ": " + problem);
  }

  public static ApiException notFound(String what) {
    return new ApiException(HttpStatus.NOT_FOUND, "not_found", what);
  }
}
