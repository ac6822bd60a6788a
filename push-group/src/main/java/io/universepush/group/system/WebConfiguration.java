package io.universepush.group.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.universepush.group.auth.AppAuthInterceptor;
import io.universepush.group.auth.AppResolver;
import io.universepush.group.limits.RateLimitInterceptor;
import io.universepush.web.ErrorWriter;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The app secret on {@code /v1/**}, then the per-app rate limits (which need the caller's app). */
@Configuration(proxyBeanMethods = false)
public class WebConfiguration implements WebMvcConfigurer {
  private final AppAuthInterceptor appAuth;
  private final AppResolver appResolver;
  private final RateLimitInterceptor rateLimits;

  public WebConfiguration(AppAuthInterceptor appAuth, AppResolver appResolver, RateLimitInterceptor rateLimits) {
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
    registry.addInterceptor(appAuth).addPathPatterns("/v1/**");
    // Only @RateLimited handlers are affected; legacy ones too, which have no app.
    registry.addInterceptor(rateLimits);
  }

  @Override
  public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
    resolvers.add(appResolver);
  }
}
