package io.universepush.group.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.ReferenceConfig;
import org.apache.dubbo.config.RegistryConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;
import org.apache.dubbo.rpc.model.FrameworkModel;

/**
 * A Dubbo consumer application of its own (own framework model, own registry client), as another service of the
 * cluster would be: calls go over the network through the ZooKeeper registry, never in-JVM.
 */
public final class DubboTestClient implements AutoCloseable {
  private final FrameworkModel framework = new FrameworkModel();
  private final DubboBootstrap bootstrap = DubboBootstrap.newInstance(framework);
  private final List<ReferenceConfig<?>> references = new ArrayList<>();

  public DubboTestClient(String name, String zookeeperAddress) {
    ApplicationConfig application = new ApplicationConfig(name);
    application.setQosEnable(false);
    application.setRegisterMode("interface");
    application.setSerializeCheckStatus("WARN");
    bootstrap.application(application);
    bootstrap.registry(new RegistryConfig("zookeeper://" + zookeeperAddress));
  }

  public <T> ReferenceConfig<T> reference(Class<T> type) {
    ReferenceConfig<T> reference = new ReferenceConfig<>();
    reference.setInterface(type);
    reference.setScope("remote");
    reference.setCheck(false);
    reference.setRetries(0);
    reference.setTimeout(5000);
    reference.setParameters(Map.of("migration.step", "FORCE_INTERFACE"));
    bootstrap.reference(reference);
    references.add(reference);
    return reference;
  }

  public DubboTestClient start() {
    bootstrap.start();
    return this;
  }

  @Override
  public void close() {
    bootstrap.destroy();
    framework.destroy();
  }
}
