package io.universepush.api.system;

import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.ssl.SslBundles;
import org.apache.catalina.connector.Connector;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.context.ServletWebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.stereotype.Component;

/**
 * The second Tomcat listener, for app administration, bound to a separate address (loopback by default) so that
 * creating apps and reading secrets is never reachable from where the public API is. It speaks HTTPS whenever the
 * public listener does, with the same {@code server.ssl} settings ({@link AdminTls}).
 *
 * <p>Once the server runs, {@link #port()} and the property {@value #PORT_PROPERTY} hold the bound port, which
 * differs from the configured one when that is 0.
 */
@Component
public class AdminListener
    implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>,
        ApplicationListener<ServletWebServerInitializedEvent> {
  public static final String PORT_PROPERTY = "local.universe.push.api.admin-port";

  private final ApiProperties properties;
  private final ConfigurableEnvironment environment;
  private final ServerProperties server;
  private final ObjectProvider<SslBundles> sslBundles;
  private final Connector connector;
  private volatile int boundPort = -1;

  public AdminListener(
      ApiProperties properties,
      ConfigurableEnvironment environment,
      ServerProperties server,
      ObjectProvider<SslBundles> sslBundles) {
    this.properties = properties;
    this.environment = environment;
    this.server = server;
    this.sslBundles = sslBundles;
    this.connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
    connector.setPort(properties.adminPort());
    connector.setProperty("address", properties.adminAddress());
    connector.setMaxPostSize(properties.maxRequestBytes());
  }

  @Override
  public void customize(TomcatServletWebServerFactory factory) {
    if (AdminTls.requested(server.getSsl())) {
      AdminTls.apply(connector, server.getSsl(), sslBundles.getIfAvailable());
    }
    factory.addAdditionalTomcatConnectors(connector);
  }

  @Override
  public void onApplicationEvent(ServletWebServerInitializedEvent event) {
    boundPort = connector.getLocalPort();
    environment
        .getPropertySources()
        .addFirst(new MapPropertySource("universe-push-admin-port", Map.of(PORT_PROPERTY, boundPort)));
  }

  /** The port the admin listener is bound to; -1 before the server has started. */
  public int port() {
    return boundPort;
  }

  /** True when the admin listener speaks HTTPS (it follows {@code server.ssl}). */
  public boolean secure() {
    return connector.getSecure();
  }

  /** The configured address the admin listener is bound to. */
  public String address() {
    return properties.adminAddress();
  }

  /** True when the request came in through the admin listener. */
  public boolean received(int localPort) {
    return boundPort > 0 && localPort == boundPort;
  }
}
