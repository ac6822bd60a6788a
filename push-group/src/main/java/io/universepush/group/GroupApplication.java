package io.universepush.group;

import org.apache.dubbo.config.spring.context.annotation.EnableDubbo;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * push-group: groups, group chat and single chat. Serves {@code GroupService} over Dubbo and the same operations as an
 * HTTP API for app servers ({@code server.port}, 8081 by default).
 */
@SpringBootApplication
@EnableDubbo
@ConfigurationPropertiesScan
public class GroupApplication {

  /** A builder that reads {@code group.yml}, so several services can share one classpath. */
  public static SpringApplicationBuilder builder() {
    return new SpringApplicationBuilder(GroupApplication.class).properties("spring.config.name=group");
  }

  public static void main(String[] args) {
    builder().run(args);
  }
}
