package io.universepush.group.system;

import io.universepush.rpc.connector.ConnectorService;
import org.apache.dubbo.config.annotation.DubboReference;
import org.apache.dubbo.config.spring.ReferenceBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Dubbo services push-group calls: connectors, for single chat (each call aimed at the recipient's node). */
@Configuration(proxyBeanMethods = false)
public class RpcConfiguration {

  /** Aimed at one node: nothing to fail over to, and a retry would only duplicate a delivery that stays pending. */
  @Bean
  @DubboReference(check = false, retries = 0, cluster = "failfast")
  ReferenceBean<ConnectorService> connectorService() {
    return new ReferenceBean<>();
  }
}
