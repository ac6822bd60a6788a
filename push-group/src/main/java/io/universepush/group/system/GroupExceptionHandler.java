package io.universepush.group.system;

import io.universepush.group.limits.RateLimitedException;
import io.universepush.web.ApiError;
import io.universepush.web.WebExceptionHandler;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Turns every failure into {@code {"error":"<code>","message":"<text>"}} with the right status. */
@RestControllerAdvice
public class GroupExceptionHandler extends WebExceptionHandler {

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ApiError> api(ApiException e) {
    ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status());
    if (e instanceof UnauthorizedException unauthorized) {
      response.header(HttpHeaders.WWW_AUTHENTICATE, UnauthorizedException.CHALLENGE);
    }
    if (e instanceof RateLimitedException limited) {
      response.header(HttpHeaders.RETRY_AFTER, Long.toString(limited.retryAfterSeconds()));
    }
    return response.body(new ApiError(e.code(), e.getMessage()));
  }
}
