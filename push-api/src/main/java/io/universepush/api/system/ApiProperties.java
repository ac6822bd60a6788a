package io.universepush.api.system;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * push-api settings.
 *
 * @param adminPort the admin listener's port; 0 picks a free one (see {@code AdminListener#port()})
 * @param adminAddress the address the admin listener binds to; loopback unless a trusted network needs it
 * @param maxRequestBytes the largest request body accepted, checked before anything is read
 */
@Validated
@ConfigurationProperties("universe.push.api")
public record ApiProperties(
    @DefaultValue("8090") @Min(0) @Max(65535) int adminPort,
    @DefaultValue("127.0.0.1") @NotBlank String adminAddress,
    @DefaultValue("65536") @Min(1024) int maxRequestBytes,
    @DefaultValue @Valid Push push,
    @DefaultValue @Valid Legacy legacy) {

  /**
   * @param maxPayloadBytes the largest push, counted as the UTF-8 bytes of the serialized {@code message} plus
   *     {@code alert}, {@code title}, {@code extras} and the {@code ios}/{@code android} options
   * @param defaultTtlSeconds the ttl of a push that gives none
   * @param maxTtlSeconds the longest ttl a push may ask for; also how long the fan-out log keeps its entries
   * @param maxRegIds the most reg ids one push may name
   * @param maxAliases the most aliases one push may name
   * @param maxTags the most tags one push may name
   * @param fanoutLogMaxLength the approximate length each app's fan-out log is trimmed to
   * @param batchSize the most deliveries in one call to a connector
   * @param deliveryThreads delivery threads kept ready; a busy node holds one thread, so more start while more
   *     nodes are being called at once (one call per node at a time, so never more threads than nodes)
   * @param maxQueuedDeliveries deliveries waiting for their call, per node; beyond that a push waits for that
   *     node's room, or gives up at once when the node's last call failed
   * @param queueWaitMillis how long a push waits for a healthy node's room before leaving its deliveries pending
   * @param callTimeoutMillis how long one call to a connector may take; past it the batch stays pending
   */
  public record Push(
      @DefaultValue("4096") @Min(1) int maxPayloadBytes,
      @DefaultValue("86400") @Min(0) int defaultTtlSeconds,
      @DefaultValue("604800") @Min(1) int maxTtlSeconds,
      @DefaultValue("1000") @Min(1) int maxRegIds,
      @DefaultValue("1000") @Min(1) int maxAliases,
      @DefaultValue("100") @Min(1) int maxTags,
      @DefaultValue("100000") @Min(1) long fanoutLogMaxLength,
      @DefaultValue("500") @Min(1) int batchSize,
      @DefaultValue("8") @Min(1) int deliveryThreads,
      @DefaultValue("20000") @Min(1) int maxQueuedDeliveries,
      @DefaultValue("2000") @Min(0) long queueWaitMillis,
      @DefaultValue("2000") @Min(1) int callTimeoutMillis) {}

  /** @param enabled whether universe_push's {@code /push}, {@code /monitor} and {@code /manager} endpoints answer */
  public record Legacy(@DefaultValue("true") boolean enabled) {}
}
