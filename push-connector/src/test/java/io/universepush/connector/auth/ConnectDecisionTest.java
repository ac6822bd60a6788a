package io.universepush.connector.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.universepush.protocol.ConnectResult;
import io.universepush.protocol.proto.BindingResult;
import io.universepush.rpc.subscribe.AuthOutcome;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectDecisionTest {

  @Test
  void authOutcomesMapToConnectAckCodes() {
    assertThat(ConnectDecision.resultOf(AuthOutcome.ACCEPTED)).isEqualTo(ConnectResult.ACCEPTED);
    assertThat(ConnectDecision.resultOf(AuthOutcome.UNKNOWN_APP)).isEqualTo(ConnectResult.NOT_AUTHORIZED);
    assertThat(ConnectDecision.resultOf(AuthOutcome.UNKNOWN_DEVICE)).isEqualTo(ConnectResult.BAD_CREDENTIALS);
    assertThat(ConnectDecision.resultOf(AuthOutcome.BAD_TOKEN)).isEqualTo(ConnectResult.BAD_CREDENTIALS);
    assertThat(ConnectDecision.resultOf(null)).isEqualTo(ConnectResult.SERVER_UNAVAILABLE);
  }

  @Test
  void oneAcceptedBindingAcceptsTheConnection() {
    assertThat(ConnectDecision.overall(results(ConnectResult.BAD_CREDENTIALS, ConnectResult.ACCEPTED)))
        .isEqualTo(ConnectResult.ACCEPTED);
  }

  @Test
  void withoutAcceptedBindingsTheCommonOrMostUsefulCodeWins() {
    assertThat(ConnectDecision.overall(results(ConnectResult.NOT_AUTHORIZED, ConnectResult.NOT_AUTHORIZED)))
        .isEqualTo(ConnectResult.NOT_AUTHORIZED);
    assertThat(ConnectDecision.overall(results(ConnectResult.NOT_AUTHORIZED, ConnectResult.BAD_CREDENTIALS)))
        .isEqualTo(ConnectResult.BAD_CREDENTIALS);
    assertThat(ConnectDecision.overall(results(ConnectResult.BAD_CREDENTIALS, ConnectResult.SERVER_UNAVAILABLE)))
        .isEqualTo(ConnectResult.SERVER_UNAVAILABLE);
    assertThat(ConnectDecision.overall(List.of())).isEqualTo(ConnectResult.IDENTIFIER_REJECTED);
  }

  private static List<BindingResult> results(ConnectResult... codes) {
    return Arrays.stream(codes).map(code -> ConnectDecision.result("app", "reg", code, "")).toList();
  }
}
