package io.universepush.api;

import org.apache.dubbo.config.spring.context.annotation.EnableDubbo;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * push-api: the HTTP API. Public endpoints on {@code server.port}; app administration on a second listener bound to
 * {@code universe.push.api.admin-address}:{@code admin-port} (loopback by default).
 */
@SpringBootApplication
@EnableDubbo
@ConfigurationPropertiesScan
public class ApiApplication {

  /** A builder that reads {@code api.yml}, so several services can share one classpath. */
  public static SpringApplicationBuilder builder() {
    return new SpringApplicationBuilder(ApiApplication.class).properties("spring.config.name=api");
  }

  public static void main(String[] args) {
    builder().run(args);
  }
}
