package io.universepush.store.route;

/** Where a device's session lives: the connector node and the address of its Dubbo service. */
public record Route(String regId, String appId, String nodeId, String dubboHost, int dubboPort, long connectedAtMs) {}
