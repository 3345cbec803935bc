package eu.visio.media.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.visio.media.ice.IceCandidate.TcpType;
import eu.visio.media.ice.IceCandidate.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IceCandidateTest {
  @Test
  void priorityFollowsRfc8445Formula() {
    // 126 << 24 | 65535 << 8 | 255: the usual top host priority.
    assertThat(IceCandidate.priority(IceCandidate.Type.HOST, 65535, 1)).isEqualTo(2130706431L);
    assertThat(IceCandidate.priority(IceCandidate.Type.HOST, 65535, 2)).isEqualTo(2130706430L);
    assertThat(IceCandidate.priority(IceCandidate.Type.SERVER_REFLEXIVE, 65535, 1))
        .isEqualTo(1694498815L);
    assertThat(IceCandidate.priority(IceCandidate.Type.PEER_REFLEXIVE, 0, 1))
        .isEqualTo(110L << 24 | 255);
    assertThat(IceCandidate.priority(IceCandidate.Type.RELAY, 0, 256)).isEqualTo(0);
    assertThatThrownBy(() -> IceCandidate.priority(IceCandidate.Type.HOST, 65536, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IceCandidate.priority(IceCandidate.Type.HOST, 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hostCandidateToSdp() {
    IceCandidate udp = IceCandidate.host("1", 1, Transport.UDP, "192.0.2.1", 5000, 65535);
    assertThat(udp.toSdpAttribute())
        .isEqualTo("candidate:1 1 udp 2130706431 192.0.2.1 5000 typ host");
    IceCandidate tcp = IceCandidate.host("2", 1, Transport.TCP, "2001:db8::1", 443, 40000);
    assertThat(tcp.toSdpAttribute())
        .isEqualTo("candidate:2 1 tcp 2124169471 2001:db8::1 443 typ host tcptype passive");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "candidate:1 1 udp 2130706431 192.0.2.1 5000 typ host",
        "candidate:2 1 tcp 2124169471 2001:db8::1 443 typ host tcptype passive",
        "candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 10.0.0.5 rport 46154",
        "candidate:9 1 udp 41885439 198.51.100.3 3478 typ relay raddr 203.0.113.7 rport 46154",
        "candidate:x+/Y 256 udp 1 a.local 0 typ prflx raddr 0.0.0.0 rport 0",
      })
  void sdpRoundTrips(String sdp) throws Exception {
    assertThat(IceCandidate.parse(sdp).toSdpAttribute()).isEqualTo(sdp);
    assertThat(IceCandidate.parse("a=" + sdp + "\r\n")).isEqualTo(IceCandidate.parse(sdp));
  }

  @Test
  void parsesBrowserCandidatesWithExtensions() throws Exception {
    IceCandidate c =
        IceCandidate.parse(
            "candidate:3362179389 1 udp 2122260223 0e3a4a7f-4c3b-4d2e-9b1a-1f2e3d4c5b6a.local"
                + " 56143 typ host generation 0 ufrag EsAw network-id 1 network-cost 10");
    assertThat(c.foundation()).isEqualTo("3362179389");
    assertThat(c.component()).isEqualTo(1);
    assertThat(c.transport()).isEqualTo(Transport.UDP);
    assertThat(c.priority()).isEqualTo(2122260223L);
    assertThat(c.address()).endsWith(".local");
    assertThat(c.port()).isEqualTo(56143);
    assertThat(c.type()).isEqualTo(IceCandidate.Type.HOST);
    assertThat(c.relatedAddress()).isNull();
    assertThat(c.relatedPort()).isEqualTo(-1);

    IceCandidate tcp =
        IceCandidate.parse(
            "candidate:1 1 TCP 1518280447 192.0.2.1 9 typ host tcptype active generation 0");
    assertThat(tcp.transport()).isEqualTo(Transport.TCP);
    assertThat(tcp.tcpType()).isEqualTo(TcpType.ACTIVE);
    assertThat(tcp.port()).isEqualTo(9);

    IceCandidate srflx =
        IceCandidate.parse(
            "candidate:5 1 udp 1686052607 203.0.113.7 46154 typ srflx raddr 10.0.0.5 rport 46155");
    assertThat(srflx.relatedAddress()).isEqualTo("10.0.0.5");
    assertThat(srflx.relatedPort()).isEqualTo(46155);
    assertThat(srflx.tcpType()).isNull();
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "foundation:1 1 udp 1 192.0.2.1 5000 typ host | not a candidate attribute",
        "candidate:1 1 udp 1 192.0.2.1 5000 typ | wrong number of fields",
        "candidate:1 1 udp 1 192.0.2.1 5000 type host | missing typ",
        "candidate:1 1 sctp 1 192.0.2.1 5000 typ host | unsupported transport",
        "candidate:1 1 udp 1 192.0.2.1 5000 typ nat | unknown candidate type",
        "candidate:1 0 udp 1 192.0.2.1 5000 typ host | component must be 1..256",
        "candidate:1 257 udp 1 192.0.2.1 5000 typ host | number out of range",
        "candidate:1 1 udp 4294967296 192.0.2.1 5000 typ host | number out of range",
        "candidate:1 1 udp 0 192.0.2.1 5000 typ host | priority must be 1..2^32-1",
        "candidate:1 1 udp -1 192.0.2.1 5000 typ host | bad number",
        "candidate:1 1 udp 1 192.0.2.1 65536 typ host | number out of range",
        "candidate:1 1 udp 1 192.0.2.1 5x typ host | bad number",
        "candidate:1 1 tcp 1 192.0.2.1 9 typ host | tcptype is required for TCP and only for TCP",
        "candidate:1 1 udp 1 192.0.2.1 9 typ host tcptype active | tcptype is required for TCP and only for TCP",
        "candidate:1 1 tcp 1 192.0.2.1 9 typ host tcptype both | unknown tcptype",
        "candidate:1 1 udp 1 192.0.2.1 9 typ srflx raddr 10.0.0.1 | raddr and rport go together",
        "candidate:1.2 1 udp 1 192.0.2.1 9 typ host | foundation must be 1 to 32 ice-chars",
        "candidate:1  1 udp 1 192.0.2.1 9 typ host | wrong number of fields",
      })
  void rejectsMalformed(String sdp, String reason) {
    assertThatThrownBy(() -> IceCandidate.parse(sdp))
        .isInstanceOf(IceParseException.class)
        .hasMessage(reason);
  }
}
