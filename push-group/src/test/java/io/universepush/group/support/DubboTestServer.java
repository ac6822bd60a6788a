package io.universepush.group.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;
import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.ProtocolConfig;
import org.apache.dubbo.config.RegistryConfig;
import org.apache.dubbo.config.ServiceConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;
import org.apache.dubbo.rpc.model.FrameworkModel;

/**
 * A Dubbo provider application of its own (own framework model, registry client and port), as another service of
 * the cluster would be, registered in ZooKeeper so push-api reaches it over the network.
 */
public final class DubboTestServer implements AutoCloseable {
  private final FrameworkModel framework = new FrameworkModel();
  private final DubboBootstrap bootstrap = DubboBootstrap.newInstance(framework);
  private ServiceConfig<?> first;
  private boolean closed;

  public DubboTestServer(String name, String zookeeperAddress) {
    ApplicationConfig application = new ApplicationConfig(name);
    application.setQosEnable(false);
    application.setRegisterMode("interface");
    application.setSerializeCheckStatus("WARN");
    application.setShutwait("1000");
    bootstrap.application(application);
    bootstrap.registry(new RegistryConfig("zookeeper://" + zookeeperAddress));
    // A free port of our own: with -1, Dubbo remembers the port it picked JVM-wide, and a second provider
    // application in the same JVM would try to bind the same one.
    bootstrap.protocol(new ProtocolConfig("dubbo", freePort()));
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public <T> DubboTestServer export(Class<T> type, T implementation) {
    ServiceConfig<T> service = new ServiceConfig<>();
    service.setInterface(type);
    service.setRef(implementation);
    service.setParameters(Map.of());
    bootstrap.service(service);
    if (first == null) {
      first = service;
    }
    return this;
  }

  public DubboTestServer start() {
    bootstrap.start();
    return this;
  }

  /** The port the services listen on. */
  public int port() {
    return first.getExportedUrls().get(0).getPort();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    bootstrap.destroy();
    framework.destroy();
  }
}
