package io.universepush.group.limits;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks a handler method whose calls take a token of {@link #value()} from the calling app's bucket. */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface RateLimited {
  Limit value();

  /** universe_push's answer {@code {"code":429,"message":..}} instead of the API's error. */
  boolean legacy() default false;
}
