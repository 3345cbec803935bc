package eu.visio.media.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Behaviour of a client/server session pair for both profiles. */
class SrtpSessionTest {
  private static final int SSRC = 0x11223344;

  private static SrtpKeyingMaterial keys(SrtpProfile profile, long seed) {
    byte[] exported = new byte[SrtpKeyingMaterial.exportLength(profile)];
    new Random(seed).nextBytes(exported);
    return SrtpKeyingMaterial.fromExported(profile, exported);
  }

  /**
   * An RTP packet: V=2, X=1, CC=2, PT 96, the given seq and SSRC, two CSRCs, a one-word 0xBEDE
   * header extension, then a payload of {@code payload} bytes; room for the tag after it.
   */
  static byte[] rtp(int seq, int ssrc, int payload) {
    byte[] p = new byte[12 + 8 + 8 + payload + SrtpSession.MAX_RTP_OVERHEAD];
    p[0] = (byte) 0x92; // V=2, P=0, X=1, CC=2
    p[1] = 96;
    p[2] = (byte) (seq >>> 8);
    p[3] = (byte) seq;
    p[7] = 42; // timestamp
    p[8] = (byte) (ssrc >>> 24);
    p[9] = (byte) (ssrc >>> 16);
    p[10] = (byte) (ssrc >>> 8);
    p[11] = (byte) ssrc;
    p[15] = 1; // CSRC 1
    p[19] = 2; // CSRC 2
    p[20] = (byte) 0xBE; // extension profile
    p[21] = (byte) 0xDE;
    p[23] = 1; // one 32-bit word
    p[24] = 0x10; // id 1, len 1
    p[25] = 0x7F;
    for (int i = 0; i < payload; i++) {
      p[28 + i] = (byte) (i * 7 + seq);
    }
    return p;
  }

  static int rtpLength(byte[] p) {
    return p.length - SrtpSession.MAX_RTP_OVERHEAD;
  }

  /** A sender report from {@code ssrc}, with tail room. */
  static byte[] rtcp(int ssrc) {
    byte[] p = new byte[28 + SrtpSession.MAX_RTCP_OVERHEAD];
    p[0] = (byte) 0x80;
    p[1] = (byte) 200;
    p[3] = 6;
    p[4] = (byte) (ssrc >>> 24);
    p[5] = (byte) (ssrc >>> 16);
    p[6] = (byte) (ssrc >>> 8);
    p[7] = (byte) ssrc;
    for (int i = 8; i < 28; i++) {
      p[i] = (byte) i;
    }
    return p;
  }

  @ParameterizedTest
  @EnumSource(SrtpProfile.class)
  void rtpRoundTripKeepsHeaderClearAndPayloadSecret(SrtpProfile profile) {
    SrtpKeyingMaterial km = keys(profile, 1);
    SrtpSession client = new SrtpSession(km, true);
    SrtpSession server = new SrtpSession(km, false);
    byte[] packet = rtp(1000, SSRC, 200);
    byte[] original = packet.clone();
    int len = client.protectRtp(packet, 0, rtpLength(packet));
    assertThat(len).isEqualTo(rtpLength(packet) + profile.authTagLength);
    assertThat(Arrays.copyOf(packet, 28)).isEqualTo(Arrays.copyOf(original, 28)); // header clear
    assertThat(Arrays.copyOfRange(packet, 28, 228))
        .isNotEqualTo(Arrays.copyOfRange(original, 28, 228));

    assertThat(server.unprotectRtp(packet, 0, len)).isEqualTo(rtpLength(packet));
    assertThat(Arrays.copyOf(packet, rtpLength(packet)))
        .isEqualTo(Arrays.copyOf(original, rtpLength(original)));
    // The server's own outbound direction uses the server keys: the client can read it.
    byte[] back = rtp(5, 0x55, 10);
    int backLen = server.protectRtp(back, 0, rtpLength(back));
    assertThat(client.unprotectRtp(back, 0, backLen)).isEqualTo(rtpLength(back));
    // But a packet protected by the client does not verify with the client's inbound keys.
    byte[] wrongWay = rtp(6, 0x66, 10);
    int wrongLen = client.protectRtp(wrongWay, 0, rtpLength(wrongWay));
    assertThat(client.unprotectRtp(wrongWay, 0, wrongLen)).isEqualTo(SrtpResult.AUTH_FAILED);
  }

  @ParameterizedTest
  @EnumSource(SrtpProfile.class)
  void worksAtAnOffsetInALargerBuffer(SrtpProfile profile) {
    SrtpKeyingMaterial km = keys(profile, 2);
    SrtpSession client = new SrtpSession(km, true);
    SrtpSession server = new SrtpSession(km, false);
    byte[] packet = rtp(7, SSRC, 33);
    byte[] buf = new byte[packet.length + 50];
    System.arraycopy(packet, 0, buf, 37, packet.length);
    int len = client.protectRtp(buf, 37, rtpLength(packet));
    assertThat(server.unprotectRtp(buf, 37, len)).isEqualTo(rtpLength(packet));
    assertThat(Arrays.copyOfRange(buf, 37, 37 + rtpLength(packet)))
        .isEqualTo(Arrays.copyOf(packet, rtpLength(packet)));
  }

  @ParameterizedTest
  @EnumSource(SrtpProfile.class)
  void replayIsRejectedButOutOfOrderWithinWindowIsAccepted(SrtpProfile profile) {
    SrtpKeyingMaterial km = keys(profile, 3);
    SrtpSession client = new SrtpSession(km, true);
    SrtpSession server = new SrtpSession(km, false);
    byte[][] sent = new byte[100][];
    int[] lens = new int[100];
    for (int i = 0; i < 100; i++) {
      sent[i] = rtp(500 + i, SSRC, 20);
      lens[i] = client.protectRtp(sent[i], 0, rtpLength(sent[i]));
    }
    assertThat(server.unprotectRtp(sent[0].clone(), 0, lens[0])).isPositive();
    assertThat(server.unprotectRtp(sent[90].clone(), 0, lens[90])).isPositive();
    assertThat(server.unprotectRtp(sent[50].clone(), 0, lens[50])).isPositive(); // late, in window
    assertThat(server.unprotectRtp(sent[50].clone(), 0, lens[50])).isEqualTo(SrtpResult.REPLAYED);
    assertThat(server.unprotectRtp(sent[90].clone(), 0, lens[90])).isEqualTo(SrtpResult.REPLAYED);
    assertThat(server.unprotectRtp(sent[20].clone(), 0, lens[20])) // 70 behind: outside window
        .isEqualTo(SrtpResult.REPLAYED);
    assertThat(server.unprotectRtp(sent[27].clone(), 0, lens[27])).isPositive(); // 63 behind
  }

  @ParameterizedTest
  @EnumSource(SrtpProfile.class)
  void protectRefusesAnIndexAlreadySent(SrtpProfile profile) {
    SrtpSession client = new SrtpSession(keys(profile, 12), true);
    byte[] p = rtp(40, SSRC, 10);
    assertThat(client.protectRtp(p.clone(), 0, rtpLength(p))).isPositive();
    assertThat(client.protectRtp(p.clone(), 0, rtpLength(p))).isEqualTo(SrtpResult.REPLAYED);
    byte[] older = rtp(39, SSRC, 10); // reordered but new: allowed
    assertThat(client.protectRtp(older, 0, rtpLength(older))).isPositive();
  }

  @ParameterizedTest
  @EnumSource(SrtpProfile.class)
  void tamperedByteAnywhereIsRejectedAndLeavesNoState(SrtpProfile profile) {
    SrtpKeyingMaterial km = keys(profile, 4);
    SrtpSession client = new SrtpSession(km, true);
    byte[] packet = rtp(9, SSRC, 40);
    int len = client.protectRtp(packet, 0, rtpLength(packet));
    for (int i = 0; i < len; i++) {
      if (i == 0) {
        continue; // the version bits make it MALFORMED instead; checked below
      }
      SrtpSession server = new SrtpSession(km, false);
      byte[] copy = packet.clone();
      copy[i] ^= 0x01;
      byte[] before = copy.clone();
      int r = server.unprotectRtp(copy, 0, len);
      assertThat(r).as("flip byte %d", i).isIn(SrtpResult.AUTH_FAILED, SrtpResult.MALFORMED);
      assertThat(server.inboundSsrcCount()).isZero();
      assertThat(copy).as("buffer untouched on failure").isEqualTo(before);
    }
    byte[] badVersion = packet.clone();
    badVersion[0] ^= (byte) 0xC0;
    assertThat(new SrtpSession(km, false).unprotectRtp(badVersion, 0, len))
        .isEqualTo(SrtpResult.MALFORMED);
    assertThat(new SrtpSession(km, false).unprotectRtp(packet, 0, len)).isPositive();
  }

  @ParameterizedTest
  @EnumSource(SrtpProfile.class)
  void rolloverCounterAdvancesAcrossSequenceWrap(SrtpProfile profile) {
    SrtpKeyingMaterial km = keys(profile, 5);
    SrtpSession client = new SrtpSession(km, true);
    SrtpSession server = new SrtpSession(km, false);
    // 65532 arrives after the wrap but within the window (ROC - 1 is guessed); 65529 arrives
    // after 100, i.e. 107 indices behind: outside the 64-packet window.
    int[] seqs = {65530, 65531, 65533, 65535, 0, 65534, 1, 2, 65532, 100, 65529};
    boolean[] accepted = {true, true, true, true, true, true, true, true, true, true, false};
    // The sender protects in index order (65529 first), the network delivers in 'seqs' order.
    int[] sendOrder = {65529, 65530, 65531, 65532, 65533, 65534, 65535, 0, 1, 2, 100};
    java.util.Map<Integer, byte[]> wire = new java.util.HashMap<>();
    java.util.Map<Integer, Integer> wireLen = new java.util.HashMap<>();
    for (int seq : sendOrder) {
      byte[] p = rtp(seq, SSRC, 30);
      wireLen.put(seq, client.protectRtp(p, 0, rtpLength(p)));
      wire.put(seq, p);
    }
    for (int k = 0; k < seqs.length; k++) {
      byte[] p = wire.get(seqs[k]);
      byte[] plain = rtp(seqs[k], SSRC, 30);
      int r = server.unprotectRtp(p, 0, wireLen.get(seqs[k]));
      assertThat(r > 0).as("seq %d", seqs[k]).isEqualTo(accepted[k]);
      if (accepted[k]) {
        assertThat(Arrays.copyOf(p, r)).isEqualTo(Arrays.copyOf(plain, rtpLength(plain)));
      } else {
        assertThat(r).isEqualTo(SrtpResult.REPLAYED);
      }
    }
    assertThat(server.inbound().state(SSRC).roc()).isEqualTo(1);
    assertThat(client.outbound().state(SSRC).roc()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(SrtpProfile.class)
  void rocMismatchFailsAuthentication(SrtpProfile profile) {
    // A receiver that missed the wrap by more than half the sequence space cannot verify:
    // the ROC is part of the authenticated data (CM) or the IV (GCM).
    SrtpKeyingMaterial km = keys(profile, 6);
    SrtpSession client = new SrtpSession(km, true);
    SrtpSession server = new SrtpSession(km, false);
    byte[] first = rtp(10, SSRC, 8);
    assertThat(server.unprotectRtp(first, 0, client.protectRtp(first, 0, rtpLength(first))))
        .isPositive();
    for (int seq = 20; seq < 65536 + 20; seq += 20000) {
      byte[] p = rtp(seq & 0xFFFF, SSRC, 8);
      client.protectRtp(p, 0, rtpLength(p)); // client advances, server sees none of these
    }
    byte[] late = rtp(30, SSRC, 8);
    int len = client.protectRtp(late, 0, rtpLength(late)); // ROC 1 now
    assertThat(server.unprotectRtp(late, 0, len)).isEqualTo(SrtpResult.AUTH_FAILED);
  }

  @ParameterizedTest
  @EnumSource(SrtpProfile.class)
  void forgedPacketWithUnknownSsrcCreatesNoState(SrtpProfile profile) {
    SrtpKeyingMaterial km = keys(profile, 7);
    SrtpSession server = new SrtpSession(km, false, 2);
    Random random = new Random(1);
    for (int i = 0; i < 50; i++) {
      byte[] forged = rtp(i, 0x1000 + i, 100);
      int len = rtpLength(forged) + profile.authTagLength;
      byte[] tail = new byte[profile.authTagLength];
      random.nextBytes(tail);
      System.arraycopy(tail, 0, forged, rtpLength(forged), tail.length);
      assertThat(server.unprotectRtp(forged, 0, len)).isEqualTo(SrtpResult.AUTH_FAILED);
      byte[] forgedRtcp = rtcp(0x2000 + i);
      random.nextBytes(tail);
      assertThat(server.unprotectRtcp(forgedRtcp, 0, forgedRtcp.length))
          .isEqualTo(SrtpResult.AUTH_FAILED);
    }
    assertThat(server.inboundSsrcCount()).isZero();
    assertThat(server.ssrcLimitDrops()).isZero();
  }

  @ParameterizedTest
  @EnumSource(SrtpProfile.class)
  void ssrcCapDropsAndCountsNewSsrcs(SrtpProfile profile) {
    SrtpKeyingMaterial km = keys(profile, 8);
    SrtpSession client = new SrtpSession(km, true, 10);
    SrtpSession server = new SrtpSession(km, false, 2);
    for (int ssrc = 1; ssrc <= 3; ssrc++) {
      byte[] p = rtp(1, ssrc, 10);
      int len = client.protectRtp(p, 0, rtpLength(p));
      int r = server.unprotectRtp(p, 0, len);
      assertThat(r).isEqualTo(ssrc <= 2 ? rtpLength(p) : SrtpResult.TOO_MANY_SSRCS);
    }
    assertThat(server.inboundSsrcCount()).isEqualTo(2);
    assertThat(server.ssrcLimitDrops()).isEqualTo(1);
    // Known SSRCs keep flowing.
    byte[] p = rtp(2, 1, 10);
    assertThat(server.unprotectRtp(p, 0, client.protectRtp(p, 0, rtpLength(p)))).isPositive();
  }

  @ParameterizedTest
  @EnumSource(SrtpProfile.class)
  void rtcpRoundTripReplayAndTamper(SrtpProfile profile) {
    SrtpKeyingMaterial km = keys(profile, 9);
    SrtpSession client = new SrtpSession(km, true);
    SrtpSession server = new SrtpSession(km, false);
    byte[] plain = rtcp(SSRC);
    byte[] first = plain.clone();
    int len = client.protectRtcp(first, 0, 28);
    assertThat(len).isEqualTo(28 + client.rtcpOverhead());
    assertThat(Arrays.copyOf(first, 8)).isEqualTo(Arrays.copyOf(plain, 8));
    assertThat(Arrays.copyOfRange(first, 8, 28)).isNotEqualTo(Arrays.copyOfRange(plain, 8, 28));
    byte[] replay = first.clone();
    byte[] tampered = first.clone();
    tampered[12] ^= 0x40;
    assertThat(server.unprotectRtcp(tampered, 0, len)).isEqualTo(SrtpResult.AUTH_FAILED);
    assertThat(server.unprotectRtcp(first, 0, len)).isEqualTo(28);
    assertThat(Arrays.copyOf(first, 28)).isEqualTo(Arrays.copyOf(plain, 28));
    assertThat(server.unprotectRtcp(replay, 0, len)).isEqualTo(SrtpResult.REPLAYED);
    byte[] second = plain.clone();
    int len2 = client.protectRtcp(second, 0, 28);
    assertThat(server.unprotectRtcp(second, 0, len2)).isEqualTo(28);
  }

  @ParameterizedTest
  @EnumSource(SrtpProfile.class)
  void rtcpWithoutEncryptionFlagIsAuthenticatedOnly(SrtpProfile profile) throws Exception {
    // An E = 0 SRTCP packet, built independently: RFC 3711 §3.4 (HMAC over packet || E+index) and
    // RFC 7714 §9.2 (GCM with the whole packet and E+index as AAD, empty plaintext).
    SrtpKeyingMaterial km = keys(profile, 10);
    var rtcpKeys = SrtpKeyDerivation.sessionKeys(profile, km.clientKey(), km.clientSalt(), true);
    byte[] p = rtcp(SSRC);
    int index = 5;
    byte[] trailer = {0, 0, 0, (byte) index}; // E = 0
    int len;
    if (profile == SrtpProfile.AES128_CM_HMAC_SHA1_80) {
      System.arraycopy(trailer, 0, p, 28, 4);
      var mac = new HmacSha1(rtcpKeys.authKey());
      byte[] full = new byte[20];
      mac.start();
      mac.update(p, 0, 32);
      mac.finish(full, 0);
      System.arraycopy(full, 0, p, 32, 10);
      len = 42;
    } else {
      byte[] salt = rtcpKeys.salt();
      byte[] iv = new byte[12];
      iv[2] = p[4];
      iv[3] = p[5];
      iv[4] = p[6];
      iv[5] = p[7];
      iv[11] = (byte) index;
      for (int i = 0; i < 12; i++) {
        iv[i] ^= salt[i];
      }
      javax.crypto.Cipher gcm = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(
          javax.crypto.Cipher.ENCRYPT_MODE,
          new javax.crypto.spec.SecretKeySpec(rtcpKeys.encryptionKey(), "AES"),
          new javax.crypto.spec.GCMParameterSpec(128, iv));
      gcm.updateAAD(p, 0, 28);
      gcm.updateAAD(trailer);
      byte[] tag = gcm.doFinal();
      System.arraycopy(tag, 0, p, 28, 16);
      System.arraycopy(trailer, 0, p, 44, 4);
      len = 48;
    }
    byte[] wire = p.clone();
    SrtpSession server = new SrtpSession(km, false);
    assertThat(server.unprotectRtcp(p, 0, len)).isEqualTo(28);
    assertThat(Arrays.copyOf(p, 28)).isEqualTo(Arrays.copyOf(rtcp(SSRC), 28)); // not decrypted
    // Setting E on the same bytes changes what is authenticated: rejected.
    byte[] flipped = wire.clone();
    flipped[len - (profile == SrtpProfile.AES128_CM_HMAC_SHA1_80 ? 14 : 4)] |= (byte) 0x80;
    assertThat(new SrtpSession(km, false).unprotectRtcp(flipped, 0, len))
        .isEqualTo(SrtpResult.AUTH_FAILED);
  }

  @ParameterizedTest
  @EnumSource(SrtpProfile.class)
  void rejectsShortMalformedAndRoomlessPackets(SrtpProfile profile) {
    SrtpSession s = new SrtpSession(keys(profile, 11), true);
    assertThat(s.unprotectRtp(new byte[40], 0, 11)).isEqualTo(SrtpResult.TOO_SHORT);
    assertThat(s.unprotectRtp(new byte[40], 0, 30)).isEqualTo(SrtpResult.MALFORMED); // V=0
    assertThat(s.unprotectRtcp(new byte[40], 0, 10)).isEqualTo(SrtpResult.TOO_SHORT);
    assertThat(s.unprotectRtp(new byte[10], 5, 10)).isEqualTo(SrtpResult.MALFORMED);
    assertThat(s.unprotectRtp(new byte[10], -1, 5)).isEqualTo(SrtpResult.MALFORMED);
    byte[] p = rtp(1, SSRC, 10);
    assertThat(s.protectRtp(p, 0, p.length)).isEqualTo(SrtpResult.NO_ROOM);
    byte[] c = rtcp(SSRC);
    assertThat(s.protectRtcp(c, 0, c.length)).isEqualTo(SrtpResult.NO_ROOM);
    // CSRC count pointing past the packet.
    byte[] csrc = rtp(1, SSRC, 0);
    csrc[0] = (byte) 0x8F;
    assertThat(s.protectRtp(csrc, 0, 20)).isEqualTo(SrtpResult.MALFORMED);
    // Extension length pointing past the packet.
    byte[] ext = rtp(1, SSRC, 0);
    ext[22] = (byte) 0xFF;
    assertThat(s.protectRtp(ext, 0, rtpLength(ext))).isEqualTo(SrtpResult.MALFORMED);
    assertThat(s.toString()).contains("redacted");
  }
}
