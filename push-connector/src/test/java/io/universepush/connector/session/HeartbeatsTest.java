package io.universepush.connector.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.universepush.connector.system.ConnectorProperties;
import io.universepush.protocol.ProtocolVersion;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.mock.env.MockEnvironment;

/** The idle handler of a connection follows the heartbeat its client states. */
class HeartbeatsTest {
  private final Heartbeats heartbeats = new Heartbeats(defaults());
  private final EmbeddedChannel channel = new EmbeddedChannel();

  HeartbeatsTest() {
    channel.pipeline().addLast(Heartbeats.IDLE_HANDLER, Heartbeats.initialIdleHandler());
  }

  @Test
  void connectionsStartWithUniversePushsTwoMinutes() {
    assertThat(readerIdleMs()).isEqualTo(120_000);
  }

  @Test
  void versionThreeIntervalRearmsTheIdleHandler() {
    Session session = new Session(channel, ProtocolVersion.V3, 10);

    assertThat(heartbeats.applyV3(session, 30_000)).isEqualTo(30_000);

    assertThat(session.idleTimeoutMs()).isEqualTo(55_000);
    assertThat(readerIdleMs()).isEqualTo(55_000);
  }

  @Test
  void legacyPingWithoutIntervalKeepsTheCurrentOne() {
    Session session = new Session(channel, ProtocolVersion.V2, 10);
    heartbeats.applyLegacy(session, 30_000);

    assertThat(heartbeats.applyLegacy(session, -1)).isEqualTo(30_000);
    assertThat(readerIdleMs()).isEqualTo(90_000);
  }

  private long readerIdleMs() {
    return ((IdleStateHandler) channel.pipeline().get(Heartbeats.IDLE_HANDLER)).getReaderIdleTimeInMillis();
  }

  private static ConnectorProperties defaults() {
    // Bound from an empty environment: every field takes its @DefaultValue, as in production.
    return new Binder(ConfigurationPropertySources.from(new MockEnvironment().getPropertySources()))
        .bindOrCreate("universe.push.connector", ConnectorProperties.class);
  }
}
