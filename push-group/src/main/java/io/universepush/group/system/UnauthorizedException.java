package io.universepush.group.system;

import io.universepush.rpc.group.GroupResultCode;
import org.springframework.http.HttpStatus;

/** 401 with the Basic challenge, so clients (and curl) know which credentials to send. */
public class UnauthorizedException extends ApiException {
  public static final String CHALLENGE = "Basic realm=\"universe-push\", charset=\"UTF-8\"";

  public UnauthorizedException(String message) {
    super(HttpStatus.UNAUTHORIZED, "unauthorized", message, GroupResultCode.INVALID);
  }
}
