package eu.visio.media.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RelayPolicyTest {
  /** The SFU's media port on the node address, and every port of loopback. */
  private static final RelayPolicy POLICY =
      RelayPolicy.of(
          List.of(new InetSocketAddress(InetAddress.ofLiteral("10.0.0.5"), 7882)),
          List.of(InetAddress.ofLiteral("127.0.0.1")));

  @ParameterizedTest
  @CsvSource({
    "10.0.0.5,    7882, true",
    "10.0.0.5,    7883, false", // another port of an allowed address
    "10.0.0.6,    7882, false",
    "127.0.0.1,   1,    true",
    "127.0.0.1,   65535, true",
    "127.0.0.2,   7882, false",
    "::1,         7882, false", // loopback of the other family is another address
    "::ffff:10.0.0.5, 7882, true", // Java maps v4-mapped literals to IPv4
    "192.0.2.1,   3478, false",
  })
  void allows(String ip, int port, boolean allowed) {
    assertThat(POLICY.allows(new InetSocketAddress(InetAddress.ofLiteral(ip), port)))
        .isEqualTo(allowed);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "::", "224.0.0.1"})
  void wildcardAndMulticastEntriesAreRefused(String ip) {
    InetAddress a = InetAddress.ofLiteral(ip);
    assertThatThrownBy(() -> RelayPolicy.peers(List.of(new InetSocketAddress(a, 7882))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RelayPolicy.of(List.of(), List.of(a)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {0})
  void aPeerNeedsAPort(int port) {
    assertThatThrownBy(
            () ->
                RelayPolicy.peers(
                    List.of(new InetSocketAddress(InetAddress.ofLiteral("10.0.0.5"), port))))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
