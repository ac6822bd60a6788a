package io.universepush.connector.system;

import io.universepush.connector.session.HeartbeatPolicy;
import io.universepush.connector.session.RedeliveryPolicy;
import io.universepush.connector.session.SessionSettings;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The session core's rules from {@link ConnectorProperties}, and the clock every time rule reads. */
@Configuration(proxyBeanMethods = false)
public class SessionConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  RedeliveryPolicy redeliveryPolicy(ConnectorProperties properties) {
    return new RedeliveryPolicy(
        properties.redeliveryTimeout(), properties.redeliveryMaxDelay(), properties.maxAttempts());
  }

  @Bean
  SessionSettings sessionSettings(ConnectorProperties properties, RedeliveryPolicy redelivery) {
    return new SessionSettings(
        new HeartbeatPolicy(properties.heartbeatDefault(), properties.heartbeatMin(), properties.heartbeatMax()),
        redelivery,
        properties.maxInFlightPerSession(),
        properties.maxQueuedPerSession(),
        properties.maxBindingsPerConnection(),
        properties.authTimeout(),
        properties.routeTtlMargin(),
        properties.storeRetryDelay(),
        properties.storeUnavailableTimeout(),
        properties.pendingRecheckInterval());
  }
}
