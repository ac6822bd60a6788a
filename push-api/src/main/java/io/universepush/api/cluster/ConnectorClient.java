package io.universepush.api.cluster;

import io.universepush.rpc.connector.ConnectorService;
import io.universepush.rpc.connector.Delivery;
import io.universepush.rpc.connector.DeliveryReport;
import io.universepush.store.route.Route;
import java.util.List;
import java.util.function.Supplier;
import org.apache.dubbo.common.constants.CommonConstants;
import org.apache.dubbo.rpc.RpcContext;
import org.apache.dubbo.rpc.cluster.specifyaddress.Address;
import org.apache.dubbo.rpc.cluster.specifyaddress.UserSpecifiedAddressUtil;
import org.springframework.stereotype.Component;

/**
 * Calls one chosen connector node: the Dubbo provider at the host and port that a route names. A call only ever
 * concerns the sessions of that node, so it is never load-balanced or failed over to another one.
 */
@Component
public class ConnectorClient {
  private final ConnectorService connectors;

  public ConnectorClient(ConnectorService connectors) {
    this.connectors = connectors;
  }

  /** One call of at most {@code timeoutMillis}: a node that stopped answering holds up only its own deliveries. */
  public DeliveryReport deliver(NodeAddress node, List<Delivery> batch, int timeoutMillis) {
    // Read by Dubbo's invoker for the next call on this thread only, before the reference's own timeout.
    RpcContext.getClientAttachment().setAttachment(CommonConstants.TIMEOUT_KEY, timeoutMillis);
    try {
      return at(node, () -> connectors.deliver(batch));
    } finally {
      RpcContext.getClientAttachment().removeAttachment(CommonConstants.TIMEOUT_KEY);
    }
  }

  /** Closes the device's session at the node its route names; false when the node had none. */
  public boolean kick(Route route, String reason) {
    return at(NodeAddress.of(route), () -> connectors.kick(route.appId(), route.regId(), reason));
  }

  private static <T> T at(NodeAddress node, Supplier<T> call) {
    // Applies to the next call on this thread only (the router consumes it)...
    UserSpecifiedAddressUtil.setAddress(new Address(node.host(), node.port(), false));
    try {
      return call.get();
    } finally {
      // ...unless the call failed before routing: then clear it, or it would aim this thread's next Dubbo call
      // (possibly to another service) at this node.
      UserSpecifiedAddressUtil.getAddress();
    }
  }

  /** A connector node and where its Dubbo service listens. */
  public record NodeAddress(String nodeId, String host, int port) {
    public static NodeAddress of(Route route) {
      return new NodeAddress(route.nodeId(), route.dubboHost(), route.dubboPort());
    }

    @Override
    public String toString() {
      return (nodeId == null ? "" : nodeId + "@") + host + ":" + port;
    }
  }
}
