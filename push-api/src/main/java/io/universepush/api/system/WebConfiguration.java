package io.universepush.api.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.universepush.api.auth.ApiAuthInterceptor;
import io.universepush.api.auth.CallerResolver;
import io.universepush.api.limits.RateLimitInterceptor;
import io.universepush.web.ErrorWriter;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Authentication on the app-facing API ({@code /v1/**} except the admin endpoints: app secret, device token or open
 * registration), then the per-app rate limits (which need the caller's app). Static files ({@code static/}: the
 * browser SDK at {@code /sdk/universe-push.js}, the demo page at {@code /demo}) are outside {@code /v1} and need no
 * credentials; like every non-admin path they answer on the public listener only.
 */
@Configuration(proxyBeanMethods = false)
public class WebConfiguration implements WebMvcConfigurer {
  private final ApiAuthInterceptor appAuth;
  private final CallerResolver appResolver;
  private final RateLimitInterceptor rateLimits;

  public WebConfiguration(
      ApiAuthInterceptor appAuth, CallerResolver appResolver, RateLimitInterceptor rateLimits) {
    this.appAuth = appAuth;
    this.appResolver = appResolver;
    this.rateLimits = rateLimits;
  }

  /** JSON errors from the filters, which run before Spring MVC. */
  @Bean
  static ErrorWriter errorWriter(ObjectMapper json) {
    return new ErrorWriter(json);
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry
        .addInterceptor(appAuth)
        .addPathPatterns("/v1/**")
        .excludePathPatterns("/v1/apps", "/v1/apps/**", "/v1/cluster", "/v1/cluster/**");
    // Only @RateLimited handlers are affected; legacy ones too, which have no app.
    registry.addInterceptor(rateLimits);
  }

  @Override
  public void addViewControllers(ViewControllerRegistry registry) {
    registry.addViewController("/demo").setViewName("forward:/demo/index.html");
    registry.addViewController("/demo/").setViewName("forward:/demo/index.html");
  }

  @Override
  public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
    resolvers.add(appResolver);
  }
}
