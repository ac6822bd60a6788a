package io.universepush.api.system;

import io.universepush.web.ErrorWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps the two listeners apart: administration ({@code /v1/apps}, {@code /v1/cluster}, {@code /actuator}) answers
 * only on the admin listener, everything else only on the public one. The other listener answers 404, as if the
 * path did not exist, so the public port does not even reveal that the admin endpoints are there.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class ListenerSeparationFilter extends OncePerRequestFilter {
  private final AdminListener adminListener;
  private final ErrorWriter errors;

  public ListenerSeparationFilter(AdminListener adminListener, ErrorWriter errors) {
    this.adminListener = adminListener;
    this.errors = errors;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    boolean adminPath = isAdminPath(request.getRequestURI());
    boolean onAdminListener = adminListener.received(request.getLocalPort());
    if (adminPath != onAdminListener) {
      errors.write(response, HttpStatus.NOT_FOUND, "not_found", "no such endpoint: " + request.getRequestURI());
      return;
    }
    chain.doFilter(request, response);
  }

  @Override
  protected boolean shouldNotFilterErrorDispatch() {
    return true;
  }

  static boolean isAdminPath(String uri) {
    return uri.equals("/v1/apps")
        || uri.startsWith("/v1/apps/")
        || uri.equals("/v1/cluster")
        || uri.startsWith("/v1/cluster/")
        || uri.equals("/actuator")
        || uri.startsWith("/actuator/");
  }
}
