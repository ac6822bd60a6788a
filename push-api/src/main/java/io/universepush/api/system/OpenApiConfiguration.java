package io.universepush.api.system;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.universepush.api.auth.AuthenticatedApp;
import io.universepush.api.auth.Caller;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document at {@code /v3/api-docs} (public listener). */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {
  static {
    // Resolved from the request's credentials, not a parameter clients send.
    SpringDocUtils.getConfig().addRequestWrapperToIgnore(AuthenticatedApp.class, Caller.class);
  }

  @Bean
  OpenAPI universePushOpenApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("Universe Push API")
                .version("v1")
                .description(
                    "Apps, devices and pushes. App endpoints take HTTP Basic app_id:app_secret; devices register"
                        + " with X-App-Id alone and then use Authorization: Device reg_id:token (with X-App-Id) for"
                        + " GET /v1/route and PUT /v1/devices/{reg_id} of themselves; /v1/apps and"
                        + " /v1/cluster answer on the admin listener only. Errors are"
                        + " {\"error\":\"<code>\",\"message\":\"<text>\"}."))
        .components(
            new Components()
                .addSecuritySchemes("app", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic"))
                .addSecuritySchemes(
                    "device",
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("device")
                        .description("Authorization: Device reg_id:token, with the X-App-Id header"))
                .addSecuritySchemes(
                    "appId",
                    new SecurityScheme()
                        .type(SecurityScheme.Type.APIKEY)
                        .in(SecurityScheme.In.HEADER)
                        .name("X-App-Id")
                        .description("The app id; alone, for open registration")));
  }
}
