package io.universepush.api.system;

import io.universepush.rpc.connector.ConnectorService;
import io.universepush.rpc.subscribe.SubscribeService;
import org.apache.dubbo.config.annotation.DubboReference;
import org.apache.dubbo.config.spring.ReferenceBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Dubbo services push-api calls, as injectable beans. */
@Configuration(proxyBeanMethods = false)
public class RpcConfiguration {

  @Bean
  @DubboReference(check = false)
  ReferenceBean<SubscribeService> subscribeService() {
    return new ReferenceBean<>();
  }

  /**
   * Every call is aimed at one node (the one holding the device), so there is nothing to fail over to; a retry of a
   * timed-out delivery would only duplicate it, and the message stays pending anyway.
   */
  @Bean
  @DubboReference(check = false, retries = 0, cluster = "failfast")
  ReferenceBean<ConnectorService> connectorService() {
    return new ReferenceBean<>();
  }
}
