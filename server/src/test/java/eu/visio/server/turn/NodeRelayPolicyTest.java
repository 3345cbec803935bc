package eu.visio.server.turn;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.ice.IceCandidate;
import eu.visio.media.turn.RelayPolicy;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the server lets its TURN relays reach, by table: the UDP media port on the addresses it
 * offers, loopback only when loopback candidates are on; never another port, another host, or a TCP
 * candidate's port.
 */
class NodeRelayPolicyTest {
  private static final int MEDIA = 7882;

  private static IceCandidate candidate(String address, int port, IceCandidate.Transport t) {
    return new IceCandidate(
        "1",
        IceCandidate.COMPONENT_RTP,
        t,
        t == IceCandidate.Transport.TCP ? IceCandidate.TcpType.PASSIVE : null,
        1,
        address,
        port,
        IceCandidate.Type.HOST,
        null,
        -1);
  }

  @Test
  void onlyThisNodesMediaAddressesAreAllowed() {
    List<IceCandidate> offered =
        List.of(
            candidate("203.0.113.7", MEDIA, IceCandidate.Transport.UDP),
            candidate("2001:db8::7", MEDIA, IceCandidate.Transport.UDP),
            candidate("203.0.113.7", 7881, IceCandidate.Transport.TCP));
    RelayPolicy withLoopback = NodeRelayPolicy.of(offered, MEDIA, true);
    RelayPolicy withoutLoopback = NodeRelayPolicy.of(offered, MEDIA, false);
    record Case(String host, int port, boolean loopbackOn, boolean loopbackOff) {}
    List<Case> table =
        List.of(
            new Case("203.0.113.7", MEDIA, true, true), // node_ip, media port
            new Case("2001:db8::7", MEDIA, true, true),
            new Case("203.0.113.7", 7881, false, false), // the ICE-TCP port: not a UDP peer
            new Case("203.0.113.7", 7880, false, false), // HTTP
            new Case("203.0.113.7", 5432, false, false), // a database
            new Case("203.0.113.8", MEDIA, false, false), // a neighbour
            new Case("10.0.0.1", MEDIA, false, false), // the internal network
            new Case("169.254.169.254", 80, false, false), // cloud metadata
            new Case("127.0.0.1", MEDIA, true, false),
            new Case("::1", MEDIA, true, false),
            new Case("127.0.0.1", 7880, false, false),
            new Case("127.0.0.2", MEDIA, false, false));
    for (Case c : table) {
      InetSocketAddress peer = new InetSocketAddress(c.host(), c.port());
      assertThat(withLoopback.allows(peer)).as("loopback on: " + c).isEqualTo(c.loopbackOn());
      assertThat(withoutLoopback.allows(peer)).as("loopback off: " + c).isEqualTo(c.loopbackOff());
    }
  }

  @Test
  void namesAndWildcardsAmongCandidatesOpenNothing() {
    RelayPolicy p =
        NodeRelayPolicy.of(
            List.of(
                candidate("abcd-1234.local", MEDIA, IceCandidate.Transport.UDP),
                candidate("0.0.0.0", MEDIA, IceCandidate.Transport.UDP)),
            MEDIA,
            false);
    assertThat(p.allows(new InetSocketAddress("0.0.0.0", MEDIA))).isFalse();
    assertThat(p.allows(new InetSocketAddress("127.0.0.1", MEDIA))).isFalse();
  }
}
