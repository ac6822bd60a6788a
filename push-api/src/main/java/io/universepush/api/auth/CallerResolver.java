package io.universepush.api.auth;

import io.universepush.api.system.UnauthorizedException;
import org.springframework.core.MethodParameter;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Hands controllers the {@link Caller} that {@link ApiAuthInterceptor} established: as an {@link AuthenticatedApp}
 * parameter only when the app secret was given, as a {@link Caller} parameter whoever it is.
 */
@Component
public class CallerResolver implements HandlerMethodArgumentResolver {

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    return parameter.getParameterType() == AuthenticatedApp.class || parameter.getParameterType() == Caller.class;
  }

  @Override
  public Caller resolveArgument(
      MethodParameter parameter,
      ModelAndViewContainer mavContainer,
      NativeWebRequest webRequest,
      WebDataBinderFactory binderFactory) {
    Object caller = webRequest.getAttribute(Caller.ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
    if (parameter.getParameterType().isInstance(caller)) {
      return (Caller) caller;
    }
    // A handler asked for a caller the interceptor did not establish: a wiring mistake, never anonymous access.
    throw new UnauthorizedException("HTTP Basic credentials app_id:app_secret are required");
  }
}
