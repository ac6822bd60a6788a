package io.universepush.store.spring;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The ZooKeeper ensemble holding the Dubbo registry and the connector directory.
 *
 * @param sessionTimeout the node directory's session timeout: a connector that dies leaves the directory this long
 *     after its last heartbeat to ZooKeeper, and survivors clear its routes then. ZooKeeper keeps it within 2 to 20
 *     ticks of its own (the default tick of 2 s allows 4 s to 40 s).
 */
@ConfigurationProperties("universe.push.zookeeper")
public record ZooKeeperProperties(
    @DefaultValue("127.0.0.1:2181") String address, @DefaultValue("10s") Duration sessionTimeout) {}
