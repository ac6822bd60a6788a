package io.universepush.connector;

import java.util.Map;
import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.ProtocolConfig;
import org.apache.dubbo.config.ReferenceConfig;
import org.apache.dubbo.config.RegistryConfig;
import org.apache.dubbo.config.ServiceConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;
import org.apache.dubbo.rpc.model.FrameworkModel;

/**
 * A Dubbo application of its own (own framework model, own registry client), as another service of the cluster
 * would be: its calls go over the network through the ZooKeeper registry, never in-JVM.
 */
final class DubboApp implements AutoCloseable {
  private final FrameworkModel framework = new FrameworkModel();
  private final DubboBootstrap bootstrap = DubboBootstrap.newInstance(framework);

  DubboApp(String name, String zookeeperAddress) {
    this(name, zookeeperAddress, -1);
  }

  /**
   * @param port the provider port; -1 lets Dubbo pick one, but Dubbo remembers its pick per protocol for the whole
   *     JVM, so a second provider app in the same JVM needs a port of its own.
   */
  DubboApp(String name, String zookeeperAddress, int port) {
    ApplicationConfig application = new ApplicationConfig(name);
    application.setQosEnable(false);
    application.setRegisterMode("interface");
    application.setSerializeCheckStatus("WARN");
    bootstrap.application(application);
    bootstrap.registry(new RegistryConfig("zookeeper://" + zookeeperAddress));
    bootstrap.protocol(new ProtocolConfig("dubbo", port));
  }

  <T> void provide(Class<T> type, T implementation) {
    ServiceConfig<T> service = new ServiceConfig<>();
    service.setInterface(type);
    service.setRef(implementation);
    bootstrap.service(service);
  }

  <T> ReferenceConfig<T> reference(Class<T> type) {
    ReferenceConfig<T> reference = new ReferenceConfig<>();
    reference.setInterface(type);
    reference.setScope("remote");
    reference.setCheck(false);
    reference.setRetries(0);
    reference.setTimeout(5000);
    reference.setParameters(Map.of("migration.step", "FORCE_INTERFACE"));
    bootstrap.reference(reference);
    return reference;
  }

  DubboApp start() {
    bootstrap.start();
    return this;
  }

  @Override
  public void close() {
    bootstrap.destroy();
    framework.destroy();
  }
}
