package io.universepush.protocol;

/** A typed protocol violation: the connection that sent it is closed with {@link #error()} as the reason. */
public class ProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  private final ProtocolError error;

  public ProtocolException(ProtocolError error, String message) {
    super(error + ": " + message);
    this.error = error;
  }

  public ProtocolException(ProtocolError error, String message, Throwable cause) {
    super(error + ": " + message, cause);
    this.error = error;
  }

  public ProtocolError error() {
    return error;
  }
}
