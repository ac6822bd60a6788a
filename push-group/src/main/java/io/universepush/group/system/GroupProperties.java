package io.universepush.group.system;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * push-group settings ({@code universe.push.group}).
 *
 * @param maxRequestBytes the largest request body accepted, checked before anything is read
 * @param maxMembers the most members one group may have
 * @param maxGroupsPerApp the most groups one app may have
 * @param maxNamesPerRequest the most reg ids or aliases one create or join may name
 * @param maxMessageBytes the largest message of a send, as the UTF-8 bytes of its serialized JSON (legacy: its text)
 * @param defaultTtlSeconds the ttl of a send that gives none
 * @param maxTtlSeconds the longest ttl a send may ask for
 * @param historyMaxLength how many messages each group's log keeps (approximately: Redis trims whole stream nodes)
 * @param historyRetentionSeconds how long each group's messages are kept for history and catch-up, whatever their ttl
 * @param maxHistoryPage the most messages one history read returns
 * @param deliveryTimeoutMillis single chat: how long the recipient's connector may take before the answer is pending
 */
@Validated
@ConfigurationProperties("universe.push.group")
public record GroupProperties(
    @DefaultValue("65536") @Min(1024) int maxRequestBytes,
    @DefaultValue("10000") @Min(1) int maxMembers,
    @DefaultValue("100000") @Min(1) long maxGroupsPerApp,
    @DefaultValue("1000") @Min(1) int maxNamesPerRequest,
    @DefaultValue("4096") @Min(1) int maxMessageBytes,
    @DefaultValue("86400") @Min(0) long defaultTtlSeconds,
    @DefaultValue("604800") @Min(1) long maxTtlSeconds,
    @DefaultValue("1000") @Min(1) long historyMaxLength,
    @DefaultValue("604800") @Min(1) long historyRetentionSeconds,
    @DefaultValue("100") @Min(1) int maxHistoryPage,
    @DefaultValue("3000") @Min(1) long deliveryTimeoutMillis,
    @DefaultValue @Valid Legacy legacy) {

  /** @param enabled whether universe_push's {@code /group} and {@code /message} endpoints answer */
  public record Legacy(@DefaultValue("true") boolean enabled) {}
}
