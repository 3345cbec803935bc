package eu.visio.loadtest.relay;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.stun.StunMessage;
import org.junit.jupiter.api.Test;

class RelayHelloTest {
  @Test
  void aHelloLooksLikeStunAndSaysWhoItIs() throws Exception {
    byte[] b = RelayHello.request(300, true, 2);
    assertThat(StunMessage.isStun(b, 0, b.length)).as("routed like a first ICE check").isTrue();
    assertThat(RelayHello.isRequest(b, 0, b.length)).isTrue();
    assertThat(RelayHello.publishes(b, 0)).isTrue();
    assertThat(RelayHello.subscribes(b, 0)).isTrue();
    assertThat(RelayHello.publisher(b, 0)).isEqualTo(300);
    assertThat(RelayHello.layer(b, 0)).isEqualTo(2);
    assertThat(RelayHello.isAck(b, b.length)).isFalse();
    RelayHello.toAck(b, 0);
    assertThat(RelayHello.isAck(b, b.length)).isTrue();
    assertThat(RelayHello.isRequest(b, 0, b.length)).isFalse();
  }

  @Test
  void aSubscriberOnlyHelloDoesNotPublish() {
    byte[] b = RelayHello.request(-1, true, 0);
    assertThat(RelayHello.publishes(b, 0)).isFalse();
    assertThat(RelayHello.isRequest(b, 0, b.length - 1)).isFalse();
  }
}
