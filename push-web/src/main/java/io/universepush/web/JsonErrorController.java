package io.universepush.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * Errors that never reach Spring MVC (a failing filter, Tomcat refusing a request) end up here through the servlet
 * error page: answer them in the same JSON form as everything else. Each service registers a {@code @RestController}
 * subclass.
 */
public class JsonErrorController implements ErrorController {

  @RequestMapping("${server.error.path:/error}")
  public ResponseEntity<ApiError> error(HttpServletRequest request) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    HttpStatus status = HttpStatus.resolve(code instanceof Integer i ? i : 500);
    if (status == null) {
      status = HttpStatus.INTERNAL_SERVER_ERROR;
    }
    String error =
        switch (status) {
          case NOT_FOUND -> "not_found";
          case PAYLOAD_TOO_LARGE -> "request_too_large";
          case BAD_REQUEST -> "bad_request";
          case METHOD_NOT_ALLOWED -> "method_not_allowed";
          default -> status.is5xxServerError() ? "internal_error" : "error";
        };
    return ResponseEntity.status(status).body(new ApiError(error, status.getReasonPhrase()));
  }
}
