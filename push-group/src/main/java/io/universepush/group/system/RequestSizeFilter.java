package io.universepush.group.system;

import io.universepush.web.ErrorWriter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Refuses request bodies over {@code universe.push.group.max-request-bytes} with 413 before reading them. */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class RequestSizeFilter extends io.universepush.web.RequestSizeFilter {
  public RequestSizeFilter(GroupProperties properties, ErrorWriter errors) {
    super(properties.maxRequestBytes(), errors);
  }
}
