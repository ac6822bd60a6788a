package io.universepush.store.redis;

/** The same tests against a three-master Redis Cluster: every multi-key script must stay in one hash slot. */
class RedisFanoutLogClusterTest extends RedisFanoutLogTest {
  @Override
  SharedRedis.Topology topology() {
    return SharedRedis.Topology.CLUSTER;
  }
}
