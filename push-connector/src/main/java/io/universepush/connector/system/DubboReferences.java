package io.universepush.connector.system;

import io.universepush.rpc.connector.ConnectorService;
import io.universepush.rpc.group.GroupService;
import io.universepush.rpc.subscribe.SubscribeService;
import org.apache.dubbo.config.annotation.DubboReference;
import org.apache.dubbo.config.spring.ReferenceBean;
import org.apache.dubbo.config.spring.reference.ReferenceBeanBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Dubbo services the connector calls. Timeouts, scope and registry come from {@code dubbo.consumer}. */
@Configuration(proxyBeanMethods = false)
public class DubboReferences {
  /** Bean name of the reference used to reach other connector nodes (this node also provides ConnectorService). */
  public static final String REMOTE_CONNECTORS = "remoteConnectorService";

  @Bean
  @DubboReference(check = false)
  ReferenceBean<SubscribeService> subscribeService() {
    return new ReferenceBeanBuilder().build();
  }

  // No retries: a group send is not idempotent (a retry would give the message a second sequence number).
  @Bean
  @DubboReference(check = false, retries = 0)
  ReferenceBean<GroupService> groupService() {
    return new ReferenceBeanBuilder().build();
  }

  // No retries: a kick is aimed at one node, and retrying elsewhere would be meaningless.
  @Bean(REMOTE_CONNECTORS)
  @DubboReference(check = false, retries = 0)
  ReferenceBean<ConnectorService> remoteConnectorService() {
    return new ReferenceBeanBuilder().build();
  }
}
