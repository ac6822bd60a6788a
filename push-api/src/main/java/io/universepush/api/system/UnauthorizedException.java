package io.universepush.api.system;

import org.springframework.http.HttpStatus;

/** 401 with a Basic challenge, so clients (and curl) know which credentials to send. */
public class UnauthorizedException extends ApiException {
  public UnauthorizedException(String message) {
    super(HttpStatus.UNAUTHORIZED, "unauthorized", message);
  }

  public String challenge() {
    return "Basic realm=\"universe-push\", charset=\"UTF-8\"";
  }
}
