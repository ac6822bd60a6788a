package io.universepush.group.auth;

import io.universepush.group.system.UnauthorizedException;
import org.springframework.core.MethodParameter;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Hands controllers the {@link AuthenticatedApp} that {@link AppAuthInterceptor} established. */
@Component
public class AppResolver implements HandlerMethodArgumentResolver {

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    return parameter.getParameterType() == AuthenticatedApp.class;
  }

  @Override
  public AuthenticatedApp resolveArgument(
      MethodParameter parameter,
      ModelAndViewContainer mavContainer,
      NativeWebRequest webRequest,
      WebDataBinderFactory binderFactory) {
    if (webRequest.getAttribute(AuthenticatedApp.ATTRIBUTE, RequestAttributes.SCOPE_REQUEST)
        instanceof AuthenticatedApp app) {
      return app;
    }
    // A handler outside /v1 asked for an app: a wiring mistake, never anonymous access.
    throw new UnauthorizedException("HTTP Basic credentials app_id:app_secret are required");
  }
}
