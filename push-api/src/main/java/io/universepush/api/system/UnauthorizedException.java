package io.universepush.api.system;

import org.springframework.http.HttpStatus;

/** 401 with a challenge naming the credentials to send, so clients (and curl) know which. */
public class UnauthorizedException extends ApiException {
  private final boolean deviceEndpoint;

  public UnauthorizedException(String message) {
    this(message, false);
  }

  /** @param deviceEndpoint the endpoint also takes device credentials: the challenge offers both schemes */
  public UnauthorizedException(String message, boolean deviceEndpoint) {
    super(HttpStatus.UNAUTHORIZED, "unauthorized", message);
    this.deviceEndpoint = deviceEndpoint;
  }

  public String challenge() {
    String basic = "Basic realm=\"universe-push\", charset=\"UTF-8\"";
    return deviceEndpoint ? basic + ", Device realm=\"universe-push\"" : basic;
  }
}
