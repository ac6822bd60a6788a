package io.universepush.connector.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.universepush.connector.session.SessionAction.SendPush;
import io.universepush.protocol.Frame;
import io.universepush.protocol.FrameDecoder;
import io.universepush.protocol.Signal;
import io.universepush.protocol.proto.Push;
import io.universepush.rpc.connector.IosOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PushFrameTest {

  private static FanoutContent content() {
    FanoutContent content = new FanoutContent();
    content.setMsgId("m-1");
    content.setAppId("app-1");
    content.setPayload("{\"goal\":1}".getBytes(StandardCharsets.UTF_8));
    content.setTitle("t");
    content.setAlert("a");
    content.setExtras(Map.of("k", "v"));
    content.setExpiresAtMs(1_000);
    content.setSentAtMs(500);
    content.setIos(new IosOptions("ping.caf", 3, true, Map.of("i", "1")));
    return content;
  }

  @Test
  void theSharedAndTheBindingsOwnBodiesReadAsOnePush() throws Exception {
    PushFrame frame = PushFrame.of(new SendPush(content(), "r-1", 2, 7, 5, false));

    Push push = Push.parseFrom(frame.toFrame().body());

    assertThat(push.getMsgId()).isEqualTo("m-1");
    assertThat(push.getAppId()).isEqualTo("app-1");
    assertThat(push.getRegId()).isEqualTo("r-1");
    assertThat(push.getPayload().toStringUtf8()).isEqualTo("{\"goal\":1}");
    assertThat(push.getExtrasMap()).containsEntry("k", "v");
    assertThat(push.getIos().getBadge()).isEqualTo(3);
    assertThat(push.getAttempt()).isEqualTo(2);
    assertThat(push.getFanoutOffset()).isEqualTo(7);
    assertThat(push.getFanoutPrevOffset()).isEqualTo(5);
  }

  @Test
  void aFanoutContentIsEncodedOnceForEverySessionItGoesTo() {
    FanoutContent content = content();
    byte[] first = content.sharedBody();

    PushFrame.of(new SendPush(content, "r-1", 1, 7, 5, false));
    PushFrame.of(new SendPush(content, "r-2", 1, 7, 6, false));

    assertThat(content.sharedBody()).isSameAs(first);
  }

  @Test
  void theEncodedBytesAreAWholeVersionThreeFrame() throws Exception {
    PushFrame push = PushFrame.of(new SendPush(content(), "r-9", 1, 3, 2, false));
    ByteBuf encoded = push.encoded();

    FrameDecoder decoder = new FrameDecoder(1 << 16);
    Frame frame = decoder.decode(ByteBuffer.wrap(ByteBufUtil.getBytes(encoded)));

    assertThat(frame.signal()).isEqualTo(Signal.PUSH);
    assertThat(frame.messageId()).isZero();
    assertThat(Push.parseFrom(frame.body()).getRegId()).isEqualTo("r-9");
    assertThat(frame.body()).isEqualTo(push.toFrame().body());
    encoded.release();
  }
}
