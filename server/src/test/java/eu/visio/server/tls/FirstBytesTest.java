package eu.visio.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.tls.FirstBytes.Kind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class FirstBytesTest {
  // A Chrome ClientHello's first bytes: record type handshake (16), version 3.1 (0301), length
  // 0x06f2, handshake type ClientHello (01), then its length (0006ee) and version (0303).
  private static final String CLIENT_HELLO = "16" + "0301" + "06f2" + "01" + "0006ee" + "0303";

  // An ICE-TCP first frame: length 0x0064 (100), Binding request (0001), STUN length 0x0050 (80 =
  // 100 - 20), magic cookie (2112a442), then the transaction id.
  private static final String ICE_CHECK = "0064" + "0001" + "0050" + "2112a442" + "0102030405";

  @Test
  void theFirstBytesTellTheProtocol() {
    record Case(String name, String hex, Kind expected) {}
    List<Case> table =
        List.of(
            new Case("ClientHello", CLIENT_HELLO, Kind.TLS),
            new Case("ClientHello, TLS 1.0 record version", "160301" + "0200" + "01", Kind.TLS),
            new Case(
                "ClientHello cut after 5 bytes", CLIENT_HELLO.substring(0, 10), Kind.NEED_MORE),
            new Case("a TLS alert, not a hello", "150303000202", Kind.UNKNOWN),
            new Case("TLS handshake but ServerHello", "160303004a02", Kind.UNKNOWN),
            new Case("SSL 2 hello", "802e0100020015", Kind.UNKNOWN),
            new Case("ICE-TCP check", ICE_CHECK, Kind.ICE_TCP),
            new Case("ICE-TCP check, 9 bytes", ICE_CHECK.substring(0, 18), Kind.NEED_MORE),
            // A Binding success response is not what a client sends first.
            new Case(
                "framed Binding response", "0064" + "0101" + "0050" + "2112a442", Kind.UNKNOWN),
            // STUN length not frame length - 20.
            new Case(
                "framed, lengths disagree", "0064" + "0001" + "0051" + "2112a442", Kind.UNKNOWN),
            new Case("framed, no cookie", "0064" + "0001" + "0050" + "2112a443", Kind.UNKNOWN),
            // 0x05dd = 1501: longer than any frame we take.
            new Case("frame too long", "05dd" + "0001" + "05c9" + "2112a442", Kind.UNKNOWN),
            new Case("frame too short for STUN", "0013" + "0001", Kind.UNKNOWN),
            // Plain STUN without the RFC 4571 length (that is TURN's framing, inside TLS only).
            new Case("unframed STUN", "0001" + "0050" + "2112a442", Kind.UNKNOWN),
            new Case("plain HTTP", hex("GET / HTTP/1.1\r\n"), Kind.UNKNOWN),
            new Case("SSH", hex("SSH-2.0-OpenSSH_9.6\r\n"), Kind.UNKNOWN),
            new Case("one zero byte", "00", Kind.NEED_MORE),
            new Case("nothing", "", Kind.NEED_MORE));
    for (Case c : table) {
      ByteBuf b = Unpooled.wrappedBuffer(HexFormat.of().parseHex(c.hex()));
      assertThat(FirstBytes.classify(b)).as(c.name()).isEqualTo(c.expected());
      assertThat(b.readerIndex()).as("nothing consumed").isZero();
    }
  }

  /** Ten bytes always decide; what is decided stays decided as more bytes come. */
  @Property
  void tenBytesDecideAndMoreNeverUndecide(@ForAll @Size(min = 0, max = 40) byte[] bytes) {
    Kind previous = Kind.NEED_MORE;
    for (int n = 0; n <= bytes.length; n++) {
      Kind k = FirstBytes.classify(Unpooled.wrappedBuffer(bytes, 0, n));
      if (n >= FirstBytes.DECISIVE) {
        assertThat(k).isNotEqualTo(Kind.NEED_MORE);
      }
      if (previous != Kind.NEED_MORE) {
        assertThat(k).isEqualTo(previous);
      }
      previous = k;
    }
  }

  private static String hex(String ascii) {
    return HexFormat.of().formatHex(ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }
}
