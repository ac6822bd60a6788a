package io.universepush.sdk;

import java.io.IOException;

/** The HTTP API answered with an error: its status and its {@code {"error":..,"message":..}} body. */
public final class PushApiException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String error;
  private final String apiMessage;

  public PushApiException(int status, String error, String apiMessage) {
    super(describe(status, nonNull(error), nonNull(apiMessage)));
    this.status = status;
    this.error = nonNull(error);
    this.apiMessage = nonNull(apiMessage);
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }

  private static String describe(int status, String error, String apiMessage) {
    return "HTTP " + status + (error.isEmpty() ? "" : " " + error) + (apiMessage.isEmpty() ? "" : ": " + apiMessage);
  }

  /** The HTTP status, 4xx or 5xx. */
  public int status() {
    return status;
  }

  /** The machine-readable code ({@code "error"}), empty when the body had none. */
  public String error() {
    return error;
  }

  /** The human-readable text ({@code "message"}), empty when the body had none. */
  public String apiMessage() {
    return apiMessage;
  }
}
