package io.universepush.api.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the handler a request without credentials may reach by naming its app in {@code X-App-Id}, when that app's
 * registration is open; the handler receives an {@link OpenRegistrant} as its {@link Caller}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface OpenRegistration {}
