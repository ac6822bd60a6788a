package io.universepush.subscribe;

import io.universepush.store.spring.StoreBeans;
import org.apache.dubbo.config.spring.context.annotation.EnableDubbo;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/** push-subscribe: serves {@code SubscribeService} over Dubbo (registration, authentication, routing). */
@SpringBootApplication
@EnableDubbo
@ConfigurationPropertiesScan
@Import(StoreBeans.class)
public class SubscribeApplication {

  /** A builder that reads {@code subscribe.yml}, so several services can share one classpath. */
  public static SpringApplicationBuilder builder() {
    return new SpringApplicationBuilder(SubscribeApplication.class).properties("spring.config.name=subscribe");
  }

  public static void main(String[] args) {
    builder().run(args);
  }
}
