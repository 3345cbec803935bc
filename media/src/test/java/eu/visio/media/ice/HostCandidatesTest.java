package eu.visio.media.ice;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.ice.IceCandidate.Transport;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostCandidatesTest {
  @Test
  void configuredAddressesBecomeRankedHostCandidates() throws Exception {
    List<IceCandidate> c =
        HostCandidates.fromAddresses(
            List.of(InetAddress.ofLiteral("192.0.2.1"), InetAddress.ofLiteral("2001:db8::1")),
            40000,
            Transport.UDP);
    assertThat(c).hasSize(2);
    assertThat(c.get(0).toSdpAttribute()).endsWith(" udp 2130706431 192.0.2.1 40000 typ host");
    assertThat(c.get(1).address()).isEqualTo("2001:db8:0:0:0:0:0:1");
    assertThat(c.get(1).priority()).isLessThan(c.get(0).priority());
    assertThat(c.get(0).foundation()).isNotEqualTo(c.get(1).foundation());
    // Foundation is stable for the same address and transport, different across transports.
    assertThat(c.get(0).foundation())
        .isEqualTo(HostCandidates.foundation(InetAddress.ofLiteral("192.0.2.1"), Transport.UDP))
        .isNotEqualTo(HostCandidates.foundation(InetAddress.ofLiteral("192.0.2.1"), Transport.TCP));
  }

  @Test
  void tcpHostCandidatesArePassive() throws Exception {
    IceCandidate c =
        HostCandidates.fromAddresses(
                List.of(InetAddress.ofLiteral("192.0.2.1")), 443, Transport.TCP)
            .getFirst();
    assertThat(c.tcpType()).isEqualTo(IceCandidate.TcpType.PASSIVE);
    assertThat(c.priority())
        .isEqualTo(IceCandidate.priority(IceCandidate.Type.HOST, (4 << 13) + 8191, 1));
  }

  /**
   * The TLS port's passive candidates (RFC 6544 §4.2): the same type and direction preference as
   * the ICE-TCP port's, the other preference in the lower half, so every address's fallback ranks
   * below every address's ICE-TCP candidate and above nothing UDP would be; same foundation (same
   * type, base address and transport).
   */
  @Test
  void fallbackTcpCandidatesRankBelowTheIceTcpPortsAndAboveNone() throws Exception {
    List<InetAddress> addresses =
        List.of(InetAddress.ofLiteral("192.0.2.1"), InetAddress.ofLiteral("192.0.2.2"));
    List<IceCandidate> primary = HostCandidates.fromAddresses(addresses, 7881, Transport.TCP);
    List<IceCandidate> fallback = HostCandidates.fromAddresses(addresses, 443, Transport.TCP, true);

    assertThat(fallback.getFirst().priority())
        .isEqualTo(IceCandidate.priority(IceCandidate.Type.HOST, (4 << 13) + 4095, 1));
    assertThat(fallback.getFirst().tcpType()).isEqualTo(IceCandidate.TcpType.PASSIVE);
    long lowestPrimary = primary.stream().mapToLong(IceCandidate::priority).min().orElseThrow();
    assertThat(fallback).allMatch(c -> c.priority() < lowestPrimary);
    assertThat(fallback.get(1).priority()).isLessThan(fallback.get(0).priority());
    assertThat(fallback.getFirst().foundation()).isEqualTo(primary.getFirst().foundation());
    assertThat(HostCandidates.fromAddresses(addresses, 7882, Transport.UDP).getLast().priority())
        .isGreaterThan(primary.getFirst().priority());
  }

  @Test
  void usableFiltersWildcardMulticastLinkLocalAndLoopback() throws Exception {
    List<InetAddress> all =
        List.of(
            InetAddress.ofLiteral("0.0.0.0"),
            InetAddress.ofLiteral("224.0.0.1"),
            InetAddress.ofLiteral("fe80::1"),
            InetAddress.ofLiteral("127.0.0.1"),
            InetAddress.ofLiteral("::1"),
            InetAddress.ofLiteral("10.0.0.2"),
            InetAddress.ofLiteral("10.0.0.2"),
            InetAddress.ofLiteral("169.254.1.1"));
    assertThat(HostCandidates.usable(all, false))
        .containsExactly(InetAddress.ofLiteral("10.0.0.2"), InetAddress.ofLiteral("169.254.1.1"));
    assertThat(HostCandidates.usable(all, true))
        .containsExactly(
            InetAddress.ofLiteral("127.0.0.1"),
            InetAddress.ofLiteral("::1"),
            InetAddress.ofLiteral("10.0.0.2"),
            InetAddress.ofLiteral("169.254.1.1"));
  }

  @Test
  void discoveryHonoursTheLoopbackFlag() throws Exception {
    List<IceCandidate> withLoopback = HostCandidates.discover(5000, Transport.UDP, true);
    assertThat(withLoopback).extracting(IceCandidate::address).contains("127.0.0.1");
    assertThat(withLoopback).allSatisfy(c -> assertThat(c.address()).doesNotContain("%"));
    List<IceCandidate> without = HostCandidates.discover(5000, Transport.UDP, false);
    for (IceCandidate c : without) {
      assertThat(InetAddress.ofLiteral(c.address()).isLoopbackAddress()).isFalse();
      assertThat(c.port()).isEqualTo(5000);
    }
  }
}
