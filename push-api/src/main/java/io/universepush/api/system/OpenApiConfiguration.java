package io.universepush.api.system;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.universepush.api.auth.AuthenticatedApp;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document at {@code /v3/api-docs} (public listener). */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {
  static {
    // Resolved from the request's credentials, not a parameter clients send.
    SpringDocUtils.getConfig().addRequestWrapperToIgnore(AuthenticatedApp.class);
  }

  @Bean
  OpenAPI universePushOpenApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("Universe Push API")
                .version("v1")
                .description(
                    "Apps, devices and pushes. App endpoints take HTTP Basic app_id:app_secret; /v1/apps and"
                        + " /v1/cluster answer on the admin listener only. Errors are"
                        + " {\"error\":\"<code>\",\"message\":\"<text>\"}."))
        .components(
            new Components()
                .addSecuritySchemes("app", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")));
  }
}
