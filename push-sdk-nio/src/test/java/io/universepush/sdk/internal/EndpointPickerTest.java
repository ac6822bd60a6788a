package io.universepush.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.universepush.sdk.ConnectorEndpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointPickerTest {
  private static final ConnectorEndpoint A = new ConnectorEndpoint("a", 1, 0, 0);
  private static final ConnectorEndpoint B = new ConnectorEndpoint("b", 2, 0, 0);

  private static String next(EndpointPicker picker) throws IOException {
    InetSocketAddress address = picker.next();
    return address.getHostString() + ":" + address.getPort();
  }

  @Test
  void registrationConnectorsFirstThenFreshRoutesFallingBackToKnownOnesWhenTheApiIsDown() throws Exception {
    final boolean[] apiDown = {false};
    EndpointPicker picker =
        new EndpointPicker(
            null,
            Arrays.asList(A, B),
            () -> {
              if (apiDown[0]) {
                throw new IOException("down");
              }
              return Collections.singletonList(new ConnectorEndpoint("c", 3, 0, 0));
            });

    assertThat(next(picker)).isEqualTo("a:1");
    assertThat(next(picker)).isEqualTo("c:3");
    apiDown[0] = true;
    assertThat(next(picker)).isEqualTo("c:3");
  }

  @Test
  void withoutLookupTheKnownConnectorsTakeTurns() throws Exception {
    EndpointPicker picker = new EndpointPicker(null, Arrays.asList(A, B), null);
    assertThat(Arrays.asList(next(picker), next(picker), next(picker))).containsExactly("a:1", "b:2", "a:1");
  }

  @Test
  void aFailingLookupWithNothingKnownFails() {
    EndpointPicker picker =
        new EndpointPicker(null, Collections.<ConnectorEndpoint>emptyList(), Collections::<ConnectorEndpoint>emptyList);
    assertThatThrownBy(picker::next).isInstanceOf(IOException.class).hasMessageContaining("no connector is up");
  }

  @Test
  void redirectsComeBeforeTheFixedEndpointOnce() throws Exception {
    EndpointPicker picker =
        new EndpointPicker(InetSocketAddress.createUnresolved("fixed", 9), Collections.<ConnectorEndpoint>emptyList(), null);
    List<String> redirect = Arrays.asList("[::1]:7000", "garbage", "h:70000", "r:7001");

    picker.redirect(redirect);

    assertThat(Arrays.asList(next(picker), next(picker), next(picker))).containsExactly("::1:7000", "r:7001", "fixed:9");
  }
}
