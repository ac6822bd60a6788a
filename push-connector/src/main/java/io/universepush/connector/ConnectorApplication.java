package io.universepush.connector;

import org.apache.dubbo.config.spring.context.annotation.EnableDubbo;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * push-connector: holds device connections (TCP, protocol versions 1 to 3) and serves {@code ConnectorService} over
 * Dubbo so push-api can deliver to the devices connected here.
 */
@SpringBootApplication
@EnableDubbo
@ConfigurationPropertiesScan
public class ConnectorApplication {

  /** A builder that reads {@code connector.yml}, so several services can share one classpath. */
  public static SpringApplicationBuilder builder() {
    return new SpringApplicationBuilder(ConnectorApplication.class).properties("spring.config.name=connector");
  }

  public static void main(String[] args) {
    builder().run(args);
  }
}
