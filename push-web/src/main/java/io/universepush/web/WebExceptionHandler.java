package io.universepush.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.universepush.store.StoreUnavailableException;
import java.util.stream.Collectors;
import org.apache.dubbo.rpc.RpcException;
import org.redisson.client.RedisException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every failure Spring MVC, the store and backend calls raise into {@code {"error":"<code>","message":"<text>"}}
 * with the right status. Each service's {@code @RestControllerAdvice} extends it and adds the handler for its own
 * exceptions (using {@link #error}).
 */
public abstract class WebExceptionHandler {
  private final Logger log = LoggerFactory.getLogger(getClass());

  @ExceptionHandler(HttpMessageNotReadableException.class)
  public ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException e) {
    if (causedBy(e, RequestSizeFilter.RequestTooLargeException.class)) {
      return error(HttpStatus.PAYLOAD_TOO_LARGE, "request_too_large", rootMessage(e));
    }
    Throwable cause = e.getCause();
    if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      // The JSON parsed, but a value has the wrong type: name the field.
      return error(
          HttpStatus.BAD_REQUEST, "invalid_field", fieldPath(mapping) + ": " + "has the wrong type or format");
    }
    if (cause instanceof JsonProcessingException json) {
      return error(HttpStatus.BAD_REQUEST, "bad_json", "malformed JSON: " + json.getOriginalMessage());
    }
    return error(HttpStatus.BAD_REQUEST, "bad_json", "a JSON request body is required");
  }

  @ExceptionHandler(MethodArgumentNotValidException.class)
  public ResponseEntity<ApiError> invalid(MethodArgumentNotValidException e) {
    String message =
        e.getBindingResult().getFieldErrors().stream()
            .map(f -> snakeCase(f.getField()) + ": " + f.getDefaultMessage())
            .collect(Collectors.joining("; "));
    return error(HttpStatus.BAD_REQUEST, "invalid_field", message);
  }

  @ExceptionHandler(MissingServletRequestParameterException.class)
  public ResponseEntity<ApiError> missingParameter(MissingServletRequestParameterException e) {
    return error(HttpStatus.BAD_REQUEST, "invalid_field", e.getParameterName() + ": is required");
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  public ResponseEntity<ApiError> typeMismatch(MethodArgumentTypeMismatchException e) {
    return error(HttpStatus.BAD_REQUEST, "invalid_field", e.getName() + ": has the wrong type or format");
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  public ResponseEntity<ApiError> method(HttpRequestMethodNotSupportedException e) {
    ResponseEntity.BodyBuilder response = ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED);
    if (e.getSupportedHttpMethods() != null) {
      response.allow(e.getSupportedHttpMethods().toArray(new org.springframework.http.HttpMethod[0]));
    }
    return response.body(
        new ApiError("method_not_allowed", e.getMethod() + " is not supported here; use " + e.getSupportedMethods()));
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  public ResponseEntity<ApiError> mediaType(HttpMediaTypeNotSupportedException e) {
    return error(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        "send the body as application/json (got " + e.getContentType() + ")");
  }

  @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
  public ResponseEntity<ApiError> notAcceptable(HttpMediaTypeNotAcceptableException e) {
    return error(HttpStatus.NOT_ACCEPTABLE, "not_acceptable", "this endpoint answers application/json");
  }

  @ExceptionHandler({NoHandlerFoundException.class, NoResourceFoundException.class})
  public ResponseEntity<ApiError> noHandler(Exception e) {
    return error(HttpStatus.NOT_FOUND, "not_found", "no such endpoint");
  }

  @ExceptionHandler(MaxUploadSizeExceededException.class)
  public ResponseEntity<ApiError> tooLarge(MaxUploadSizeExceededException e) {
    return error(HttpStatus.PAYLOAD_TOO_LARGE, "request_too_large", "request body too large");
  }

  @ExceptionHandler({StoreUnavailableException.class, RedisException.class})
  public ResponseEntity<ApiError> storeUnavailable(RuntimeException e) {
    log.warn("store unavailable: {}", e.getMessage());
    return error(HttpStatus.SERVICE_UNAVAILABLE, "store_unavailable", "the data store is unavailable; retry later");
  }

  @ExceptionHandler(RpcException.class)
  public ResponseEntity<ApiError> rpc(RpcException e) {
    log.warn("service call failed: {}", e.getMessage());
    return error(
        HttpStatus.SERVICE_UNAVAILABLE, "service_unavailable", "a backend service is unavailable; retry later");
  }

  @ExceptionHandler(Exception.class)
  public ResponseEntity<ApiError> unexpected(Exception e) {
    log.error("unexpected failure", e);
    return error(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", "unexpected server error");
  }

  protected static ResponseEntity<ApiError> error(HttpStatus status, String code, String message) {
    return ResponseEntity.status(status).body(new ApiError(code, message));
  }

  private static String fieldPath(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String snakeCase(String name) {
    return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
