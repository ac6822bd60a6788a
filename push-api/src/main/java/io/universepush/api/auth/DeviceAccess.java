package io.universepush.api.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a handler that device credentials open as well as the app secret. The handler takes a {@link Caller} and
 * calls {@link Caller#checkActsOn} with the reg id it acts on, so a device reaches only itself. Any other handler
 * answers device credentials with 403.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface DeviceAccess {}
