package io.universepush.group.legacy;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/** Present unless {@code universe.push.group.legacy.enabled=false}. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ConditionalOnProperty(
    prefix = "universe.push.group.legacy",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@interface LegacyEndpoints {}
