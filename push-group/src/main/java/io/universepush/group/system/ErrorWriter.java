package io.universepush.group.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/** Writes an {@link ApiError} from places that run before Spring MVC (filters). */
@Component
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
