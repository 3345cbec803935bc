package eu.visio.media.turn;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.stun.StunAttribute;
import eu.visio.media.stun.StunClass;
import eu.visio.media.stun.StunErrorCode;
import eu.visio.media.stun.StunMessage;
import eu.visio.media.stun.StunMethod;
import eu.visio.media.stun.StunWriter;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Annotated wire fixtures of each TURN message the server reads or writes (RFC 8656 §7-§12, §18),
 * written from the RFC's layouts by hand: each is parsed, its fields checked, then built again with
 * {@link StunWriter} and compared byte for byte. Transaction id 01 02 ... 0c throughout; XOR values
 * are the address xor 0x2112A442 and the port xor 0x2112 (RFC 8489 §14.2).
 */
class TurnMessagesTest {
  private static final byte[] TX = HexFormat.of().parseHex("0102030405060708090a0b0c");
  private static final InetSocketAddress PEER =
      new InetSocketAddress(InetAddress.ofLiteral("192.0.2.1"), 49152);

  private static final String HEADER_TAIL =
      """
      21 12 a4 42                 # magic cookie
      01 02 03 04 05 06 07 08     # transaction id
      09 0a 0b 0c
      """;

  static final byte[] ALLOCATE_REQUEST =
      hex(
          """
          00 03 00 10                 # Allocate request, 16 bytes of attributes
          """
              + HEADER_TAIL
              + """
          00 19 00 04  11 00 00 00    # REQUESTED-TRANSPORT: 17 (UDP), 3 bytes RFFU (§18.11)
          00 0d 00 04  00 00 0e 10    # LIFETIME: 3600 s (§18.2)
          """);

  static final byte[] ALLOCATE_SUCCESS =
      hex(
          """
          01 03 00 20                 # Allocate success response, 32 bytes of attributes
          """
              + HEADER_TAIL
              + """
          00 16 00 08                 # XOR-RELAYED-ADDRESS (§18.5)
          00 01 e2 42  e1 12 a6 4d    # IPv4, 50000 ^ 0x2112, 192.0.2.15 ^ cookie
          00 0d 00 04  00 00 02 58    # LIFETIME: 600 s
          00 20 00 08                 # XOR-MAPPED-ADDRESS
          00 01 bd 52  e7 21 c0 46    # IPv4, 40000 ^ 0x2112, 198.51.100.4 ^ cookie
          """);

  static final byte[] REFRESH_DELETE =
      hex(
          """
          00 04 00 08                 # Refresh request
          """
              + HEADER_TAIL
              + """
          00 0d 00 04  00 00 00 00    # LIFETIME 0: delete the allocation (§8)
          """);

  static final byte[] CREATE_PERMISSION =
      hex(
          """
          00 08 00 0c                 # CreatePermission request
          """
              + HEADER_TAIL
              + """
          00 12 00 08                 # XOR-PEER-ADDRESS (§18.3)
          00 01 e1 12  e1 12 a6 43    # IPv4, 49152 ^ 0x2112, 192.0.2.1 ^ cookie
          """);

  static final byte[] FORBIDDEN =
      hex(
          """
          01 18 00 14                 # CreatePermission error response, 20 bytes
          """
              + HEADER_TAIL
              + """
          00 09 00 0d                 # ERROR-CODE, 13 bytes
          00 00 04 03                 # class 4, number 3: 403
          46 6f 72 62  69 64 64 65    # "Forbidde"
          6e 00 00 00                 # "n" and 3 bytes of padding
          """);

  static final byte[] CHANNEL_BIND =
      hex(
          """
          00 09 00 14                 # ChannelBind request
          """
              + HEADER_TAIL
              + """
          00 0c 00 04  40 01 00 00    # CHANNEL-NUMBER 0x4001, 2 bytes RFFU (§18.1)
          00 12 00 08                 # XOR-PEER-ADDRESS
          00 01 e1 12  e1 12 a6 43
          """);

  static final byte[] SEND_INDICATION =
      hex(
          """
          00 16 00 14                 # Send indication (method 6, class 01)
          """
              + HEADER_TAIL
              + """
          00 12 00 08                 # XOR-PEER-ADDRESS
          00 01 e1 12  e1 12 a6 43
          00 13 00 03  68 69 21 00    # DATA "hi!" and 1 byte of padding (§18.4)
          """);

  static final byte[] DATA_INDICATION =
      hex(
          """
          00 17 00 14                 # Data indication (method 7, class 01)
          """
              + HEADER_TAIL
              + """
          00 12 00 08
          00 01 e1 12  e1 12 a6 43
          00 13 00 03  68 69 21 00
          """);

  static final byte[] CHANNEL_DATA_STREAM =
      hex(
          """
          40 01 00 03                 # ChannelData: channel 0x4001, length 3 (§12.4)
          68 69 21 00                 # "hi!" and, on a stream, 1 byte of padding (§12.5)
          """);

  @Test
  void allocateRequest() throws Exception {
    StunMessage m = parse(ALLOCATE_REQUEST, StunClass.REQUEST, StunMethod.ALLOCATE);
    assertThat(uint32(m, StunAttribute.REQUESTED_TRANSPORT)).isEqualTo(17L << 24);
    assertThat(uint32(m, StunAttribute.LIFETIME)).isEqualTo(3600);
    build(StunClass.REQUEST, StunMethod.ALLOCATE)
        .addUint32(StunAttribute.REQUESTED_TRANSPORT, 17L << 24)
        .addUint32(StunAttribute.LIFETIME, 3600);
    assertThat(built()).isEqualTo(ALLOCATE_REQUEST);
  }

  @Test
  void allocateSuccess() throws Exception {
    StunMessage m = parse(ALLOCATE_SUCCESS, StunClass.SUCCESS_RESPONSE, StunMethod.ALLOCATE);
    InetSocketAddress relayed = new InetSocketAddress(InetAddress.ofLiteral("192.0.2.15"), 50000);
    InetSocketAddress mapped = new InetSocketAddress(InetAddress.ofLiteral("198.51.100.4"), 40000);
    assertThat(m.address(StunAttribute.XOR_RELAYED_ADDRESS)).isEqualTo(relayed);
    assertThat(m.xorMappedAddress()).isEqualTo(mapped);
    assertThat(uint32(m, StunAttribute.LIFETIME)).isEqualTo(600);
    build(StunClass.SUCCESS_RESPONSE, StunMethod.ALLOCATE)
        .addXorAddress(StunAttribute.XOR_RELAYED_ADDRESS, relayed.getAddress(), relayed.getPort())
        .addUint32(StunAttribute.LIFETIME, 600)
        .addXorAddress(StunAttribute.XOR_MAPPED_ADDRESS, mapped.getAddress(), mapped.getPort());
    assertThat(built()).isEqualTo(ALLOCATE_SUCCESS);
  }

  @Test
  void refreshDelete() throws Exception {
    StunMessage m = parse(REFRESH_DELETE, StunClass.REQUEST, StunMethod.REFRESH);
    assertThat(uint32(m, StunAttribute.LIFETIME)).isZero();
    build(StunClass.REQUEST, StunMethod.REFRESH).addUint32(StunAttribute.LIFETIME, 0);
    assertThat(built()).isEqualTo(REFRESH_DELETE);
  }

  @Test
  void createPermission() throws Exception {
    StunMessage m = parse(CREATE_PERMISSION, StunClass.REQUEST, StunMethod.CREATE_PERMISSION);
    assertThat(m.address(StunAttribute.XOR_PEER_ADDRESS)).isEqualTo(PEER);
    assertThat(m.addressAt(0)).isEqualTo(PEER);
    build(StunClass.REQUEST, StunMethod.CREATE_PERMISSION)
        .addXorAddress(StunAttribute.XOR_PEER_ADDRESS, PEER.getAddress(), PEER.getPort());
    assertThat(built()).isEqualTo(CREATE_PERMISSION);
  }

  @Test
  void forbidden() throws Exception {
    StunMessage m = parse(FORBIDDEN, StunClass.ERROR_RESPONSE, StunMethod.CREATE_PERMISSION);
    assertThat(m.errorCode()).isEqualTo(StunErrorCode.FORBIDDEN);
    assertThat(m.errorReason()).isEqualTo("Forbidden");
    build(StunClass.ERROR_RESPONSE, StunMethod.CREATE_PERMISSION)
        .addErrorCode(StunErrorCode.FORBIDDEN);
    assertThat(built()).isEqualTo(FORBIDDEN);
  }

  @Test
  void channelBind() throws Exception {
    StunMessage m = parse(CHANNEL_BIND, StunClass.REQUEST, StunMethod.CHANNEL_BIND);
    assertThat(uint32(m, StunAttribute.CHANNEL_NUMBER) >>> 16).isEqualTo(0x4001);
    assertThat(m.address(StunAttribute.XOR_PEER_ADDRESS)).isEqualTo(PEER);
    build(StunClass.REQUEST, StunMethod.CHANNEL_BIND)
        .addUint32(StunAttribute.CHANNEL_NUMBER, 0x4001L << 16)
        .addXorAddress(StunAttribute.XOR_PEER_ADDRESS, PEER.getAddress(), PEER.getPort());
    assertThat(built()).isEqualTo(CHANNEL_BIND);
  }

  @Test
  void sendAndDataIndications() throws Exception {
    for (byte[] fixture : List.of(SEND_INDICATION, DATA_INDICATION)) {
      int method = fixture == SEND_INDICATION ? StunMethod.SEND : StunMethod.DATA;
      StunMessage m = parse(fixture, StunClass.INDICATION, method);
      assertThat(m.address(StunAttribute.XOR_PEER_ADDRESS)).isEqualTo(PEER);
      int d = m.indexOf(StunAttribute.DATA);
      assertThat(m.attributeValueLength(d)).isEqualTo(3);
      build(StunClass.INDICATION, method)
          .addXorAddress(StunAttribute.XOR_PEER_ADDRESS, PEER.getAddress(), PEER.getPort())
          .addBytes(StunAttribute.DATA, new byte[] {'h', 'i', '!'}, 0, 3);
      assertThat(built()).isEqualTo(fixture);
    }
  }

  /** The stream reader cuts the fixtures apart wherever the stream splits them. */
  @Test
  void channelDataAndStunOnAStream() throws Exception {
    byte[] stream = concat(CHANNEL_BIND, CHANNEL_DATA_STREAM, SEND_INDICATION);
    for (int cut = 0; cut <= stream.length; cut++) {
      TurnFrameReader reader = new TurnFrameReader(1000);
      List<byte[]> frames = new ArrayList<>();
      TurnFrameReader.Sink sink = sink(frames);
      reader.read(Unpooled.wrappedBuffer(stream, 0, cut), sink);
      reader.read(Unpooled.wrappedBuffer(stream, cut, stream.length - cut), sink);
      assertThat(frames)
          .containsExactly(CHANNEL_BIND, Arrays.copyOf(CHANNEL_DATA_STREAM, 7), SEND_INDICATION);
      assertThat(reader.midFrame()).isFalse();
    }
  }

  static TurnFrameReader.Sink sink(List<byte[]> frames) {
    return new TurnFrameReader.Sink() {
      @Override
      public void onFrame(byte[] buf, int off, int len) {
        frames.add(Arrays.copyOfRange(buf, off, off + len));
      }

      @Override
      public void onOversized() {
        frames.add(null);
      }
    };
  }

  private final byte[] out = new byte[256];
  private final StunWriter writer = new StunWriter();

  private StunWriter build(StunClass cls, int method) {
    return writer.start(out, 0, out.length, cls, method, TX, 0);
  }

  private byte[] built() {
    return Arrays.copyOf(out, writer.finish());
  }

  private static StunMessage parse(byte[] b, StunClass cls, int method) throws Exception {
    StunMessage m = StunMessage.parse(b, 0, b.length);
    assertThat(m.messageClass()).isEqualTo(cls);
    assertThat(m.method()).isEqualTo(method);
    assertThat(m.transactionIdEquals(TX, 0)).isTrue();
    return m;
  }

  private static long uint32(StunMessage m, int type) {
    int i = m.indexOf(type);
    assertThat(m.attributeValueLength(i)).isEqualTo(4);
    byte[] b = m.buffer();
    int v = m.attributeValueOffset(i);
    return ((b[v] & 0xFFL) << 24)
        | ((b[v + 1] & 0xFF) << 16)
        | ((b[v + 2] & 0xFF) << 8)
        | (b[v + 3] & 0xFF);
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] all = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }

  static byte[] hex(String annotated) {
    StringBuilder sb = new StringBuilder();
    for (String line : annotated.split("\n", -1)) {
      int hash = line.indexOf('#');
      sb.append(hash < 0 ? line : line.substring(0, hash));
    }
    return HexFormat.of().parseHex(sb.toString().replaceAll("\\s", ""));
  }
}
