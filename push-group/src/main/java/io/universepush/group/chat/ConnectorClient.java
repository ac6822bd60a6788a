package io.universepush.group.chat;

import io.universepush.rpc.connector.ConnectorService;
import io.universepush.rpc.connector.Delivery;
import io.universepush.rpc.connector.DeliveryReport;
import io.universepush.store.route.Route;
import java.util.List;
import org.apache.dubbo.rpc.cluster.specifyaddress.Address;
import org.apache.dubbo.rpc.cluster.specifyaddress.UserSpecifiedAddressUtil;
import org.springframework.stereotype.Component;

/**
 * Calls the connector node a route names, as push-api's {@code cluster.ConnectorClient} does (copied, not shared:
 * services never import each other, and the part needed is these few lines). A call concerns the sessions of that
 * node only, so it is never load-balanced or failed over.
 */
@Component
public class ConnectorClient {
  private final ConnectorService connectors;

  public ConnectorClient(ConnectorService connectors) {
    this.connectors = connectors;
  }

  public DeliveryReport deliver(Route route, List<Delivery> batch) {
    // Applies to the next call on this thread only (the router consumes it)...
    UserSpecifiedAddressUtil.setAddress(new Address(route.dubboHost(), route.dubboPort(), false));
    try {
      return connectors.deliver(batch);
    } finally {
      // ...unless the call failed before routing: then clear it, or it would aim this thread's next Dubbo call.
      UserSpecifiedAddressUtil.getAddress();
    }
  }
}
