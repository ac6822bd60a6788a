package io.universepush.api.auth;

import io.universepush.api.system.UnauthorizedException;
import org.springframework.core.MethodParameter;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Hands controllers the {@link AuthenticatedApp} that {@link AppAuthInterceptor} established. */
@Component
public class AuthenticatedAppResolver implements HandlerMethodArgumentResolver {

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
    Object app = webRequest.getAttribute(AppAuthInterceptor.ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
    if (app instanceof AuthenticatedApp authenticated) {
      return authenticated;
    }
    // A handler asked for an app on a path the interceptor does not cover: a wiring mistake, never anonymous access.
    throw new UnauthorizedException("HTTP Basic credentials app_id:app_secret are required");
  }
}
