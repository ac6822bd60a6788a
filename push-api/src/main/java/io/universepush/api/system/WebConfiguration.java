package io.universepush.api.system;

import io.universepush.api.auth.AppAuthInterceptor;
import io.universepush.api.auth.AuthenticatedAppResolver;
import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** App authentication on the app-facing API ({@code /v1/**} except the admin endpoints). */
@Configuration(proxyBeanMethods = false)
public class WebConfiguration implements WebMvcConfigurer {
  private final AppAuthInterceptor appAuth;
  private final AuthenticatedAppResolver appResolver;

  public WebConfiguration(AppAuthInterceptor appAuth, AuthenticatedAppResolver appResolver) {
    this.appAuth = appAuth;
    this.appResolver = appResolver;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry
        .addInterceptor(appAuth)
        .addPathPatterns("/v1/**")
        .excludePathPatterns("/v1/apps", "/v1/apps/**", "/v1/cluster", "/v1/cluster/**");
  }

  @Override
  public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
    resolvers.add(appResolver);
  }
}
