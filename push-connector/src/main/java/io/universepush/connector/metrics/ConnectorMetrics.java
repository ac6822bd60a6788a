package io.universepush.connector.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.universepush.protocol.ProtocolError;
import io.universepush.protocol.Signal;
import io.universepush.rpc.connector.DeliveryOutcome;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * The connector's counters, created once so the hot paths only increment. Gauges for connections and bindings are
 * registered by their owners ({@code Connections}, {@code SessionRegistry}).
 */
@Component
public class ConnectorMetrics {
  private final MeterRegistry registry;
  private final Map<Signal, Counter> framesIn = new EnumMap<>(Signal.class);
  private final Map<Signal, Counter> framesOut = new EnumMap<>(Signal.class);
  private final Map<DeliveryOutcome, Counter> deliveries = new EnumMap<>(DeliveryOutcome.class);
  private final Map<ProtocolError, Counter> protocolErrors = new EnumMap<>(ProtocolError.class);
  private final Counter delivered;
  private final Map<String, Counter> refusedConnections = new ConcurrentHashMap<>();
  private final Counter rateLimited;
  private final Counter authTimeouts;
  private final Counter idleTimeouts;
  private final Counter tlsHandshakeFailures;
  private final Counter redeliveries;
  private final Counter expired;
  private final Counter failed;
  private final Counter fanoutEvents;
  private final Counter fanoutWrites;
  private final Counter fanoutNotRecovered;

  public ConnectorMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (Signal signal : Signal.values()) {
      String tag = signal.name();
      framesIn.put(signal, counter("push.connector.frames.in", "Frames received from clients", "signal", tag));
      framesOut.put(signal, counter("push.connector.frames.out", "Frames written to clients", "signal", tag));
    }
    for (DeliveryOutcome outcome : DeliveryOutcome.values()) {
      deliveries.put(
          outcome,
          counter("push.connector.deliveries", "Deliveries asked of this node, by outcome", "outcome", outcome.name()));
    }
    for (ProtocolError error : ProtocolError.values()) {
      protocolErrors.put(
          error,
          counter("push.connector.protocol.errors", "Connections closed for a protocol error", "type", error.name()));
    }
    delivered = counter("push.connector.delivered", "Pushes acknowledged by devices (legacy: written)");
    rateLimited =
        counter("push.connector.rate.limited", "Connections closed for sending frames faster than allowed");
    authTimeouts = counter("push.connector.auth.timeouts", "Connections closed for not authenticating in time");
    idleTimeouts = counter("push.connector.idle.timeouts", "Connections closed for missing heartbeats");
    tlsHandshakeFailures =
        counter("push.connector.tls.handshake.failures", "TLS connections closed because their handshake failed");
    redeliveries = counter("push.connector.redeliveries", "Unacknowledged pushes written again after their timeout");
    expired = counter("push.connector.expired", "Pushes dropped unwritten because their message expired");
    failed = counter("push.connector.failed", "Pushes given up after max-attempts unacknowledged writes");
    fanoutEvents = counter("push.connector.fanout.events", "Tag and app-wide pushes received from the fan-out bus");
    fanoutWrites =
        counter("push.connector.fanout.writes", "Fan-out pushes written to devices (live and catch-up)");
    fanoutNotRecovered =
        counter(
            "push.connector.fanout.not.recovered",
            "Bindings whose fan-out position could not be continued (entries trimmed, or another epoch)");
  }

  private Counter counter(String name, String description, String... tags) {
    return Counter.builder(name).description(description).tags(tags).register(registry);
  }

  public void frameIn(Signal signal) {
    framesIn.get(signal).increment();
  }

  public void frameOut(Signal signal) {
    framesOut.get(signal).increment();
  }

  public void delivery(DeliveryOutcome outcome) {
    deliveries.get(outcome).increment();
  }

  public void protocolError(ProtocolError error) {
    protocolErrors.get(error).increment();
  }

  public void delivered(int count) {
    delivered.increment(count);
  }

  public long deliveredTotal() {
    return (long) delivered.count();
  }

  public void redelivery() {
    redeliveries.increment();
  }

  public void expired() {
    expired.increment();
  }

  public void failed() {
    failed.increment();
  }

  public void fanoutEvent() {
    fanoutEvents.increment();
  }

  public void fanoutWrite() {
    fanoutWrites.increment();
  }

  public void fanoutNotRecovered() {
    fanoutNotRecovered.increment();
  }

  /** A connection closed as soon as accepted; {@code reason}: a small fixed set (the admission's refusals). */
  public void refusedConnection(String reason) {
    refusedConnections
        .computeIfAbsent(
            reason,
            r -> counter("push.connector.connections.refused", "Connections closed as soon as accepted", "reason", r))
        .increment();
  }

  public void rateLimitedConnection() {
    rateLimited.increment();
  }

  public void authTimeout() {
    authTimeouts.increment();
  }

  public void idleTimeout() {
    idleTimeouts.increment();
  }

  public void tlsHandshakeFailure() {
    tlsHandshakeFailures.increment();
  }

  public long tlsHandshakeFailuresTotal() {
    return (long) tlsHandshakeFailures.count();
  }

  /** Registers a gauge that reads the given value on each scrape. */
  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }
}
