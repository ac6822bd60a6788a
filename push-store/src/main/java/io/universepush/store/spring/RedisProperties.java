package io.universepush.store.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Where the shared Redis is, and the prefix of every key this system writes there. */
@ConfigurationProperties("universe.push.redis")
public record RedisProperties(
    @DefaultValue("redis://127.0.0.1:6379") String address, @DefaultValue("up:") String keyPrefix) {}
