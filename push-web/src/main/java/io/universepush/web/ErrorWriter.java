package io.universepush.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/** Writes an {@link ApiError} from places that run before Spring MVC (filters); each service declares it as a bean. */
public class ErrorWriter {
  private final ObjectMapper json;

  public ErrorWriter(ObjectMapper json) {
    this.json = json;
  }

  public void write(HttpServletResponse response, HttpStatus status, String code, String message)
      throws IOException {
    response.setStatus(status.value());
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response.setCharacterEncoding("UTF-8");
    json.writeValue(response.getOutputStream(), new ApiError(code, message));
  }
}
