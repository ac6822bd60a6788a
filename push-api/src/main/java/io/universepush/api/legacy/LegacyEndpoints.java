package io.universepush.api.legacy;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/** Present unless {@code universe.push.api.legacy.enabled=false}. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ConditionalOnProperty(
    prefix = "universe.push.api.legacy",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@interface LegacyEndpoints {}
