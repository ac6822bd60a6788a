package io.universepush.store.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** The ZooKeeper ensemble holding the Dubbo registry and the connector directory. */
@ConfigurationProperties("universe.push.zookeeper")
public record ZooKeeperProperties(@DefaultValue("127.0.0.1:2181") String address) {}
