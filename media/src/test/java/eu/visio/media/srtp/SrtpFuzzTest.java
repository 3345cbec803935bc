package eu.visio.media.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties: unprotect never throws on arbitrary input, and both GCM engines equal the JDK's
 * reference encryption and open each other's packets.
 */
class SrtpFuzzTest {

  private static SrtpKeyingMaterial keys(SrtpProfile profile) {
    byte[] exported = new byte[SrtpKeyingMaterial.exportLength(profile)];
    Arrays.fill(exported, (byte) 0x5A);
    return SrtpKeyingMaterial.fromExported(profile, exported);
  }

  private static boolean isResult(int r, int len) {
    return r < 0 ? r >= SrtpResult.INDEX_EXHAUSTED : r <= len;
  }

  @Property(tries = 2000)
  void randomBytesNeverThrow(
      @ForAll @Size(max = 300) byte[] data,
      @ForAll @IntRange(max = 8) int offset,
      @ForAll boolean gcm) {
    SrtpSession s =
        new SrtpSession(
            keys(gcm ? SrtpProfile.AEAD_AES_128_GCM : SrtpProfile.AES128_CM_HMAC_SHA1_80), false);
    byte[] buf = new byte[offset + data.length];
    System.arraycopy(data, 0, buf, offset, data.length);
    int rtp = s.unprotectRtp(buf.clone(), offset, data.length);
    int rtcp = s.unprotectRtcp(buf.clone(), offset, data.length);
    assertThat(isResult(rtp, data.length)).as(SrtpResult.name(rtp)).isTrue();
    assertThat(isResult(rtcp, data.length)).as(SrtpResult.name(rtcp)).isTrue();
    // Random bytes do not authenticate, so nothing may be created.
    assertThat(rtp).isNegative();
    assertThat(rtcp).isNegative();
    assertThat(s.inboundSsrcCount()).isZero();
    // Nor does protect throw on garbage.
    assertThat(isResult(s.protectRtp(buf.clone(), offset, data.length), buf.length + 16)).isTrue();
    assertThat(isResult(s.protectRtcp(buf.clone(), offset, data.length), buf.length + 20)).isTrue();
  }

  @Property(tries = 500)
  void mutatedValidPacketsNeverThrowAndNeverVerify(
      @ForAll @IntRange(max = 300) int payload,
      @ForAll @IntRange(max = 10_000) int position,
      @ForAll byte mask,
      @ForAll @IntRange(min = -40, max = 40) int lengthDelta,
      @ForAll boolean gcm) {
    SrtpKeyingMaterial km =
        keys(gcm ? SrtpProfile.AEAD_AES_128_GCM : SrtpProfile.AES128_CM_HMAC_SHA1_80);
    SrtpSession client = new SrtpSession(km, true);
    SrtpSession server = new SrtpSession(km, false);
    byte[] p = SrtpSessionTest.rtp(77, 0x1234, payload);
    int len = client.protectRtp(p, 0, SrtpSessionTest.rtpLength(p));
    int at = position % len;
    p[at] ^= mask;
    int newLen = Math.max(0, Math.min(p.length, len + lengthDelta));
    int r = server.unprotectRtp(p, 0, newLen);
    boolean unchanged = mask == 0 && newLen == len;
    if (unchanged) {
      assertThat(r).isEqualTo(SrtpSessionTest.rtpLength(p));
    } else {
      assertThat(r).as(SrtpResult.name(r)).isNegative().isGreaterThanOrEqualTo(-7);
      assertThat(server.inboundSsrcCount()).isZero();
    }
  }

  @Property(tries = 300)
  void gcmMatchesTheJdk(
      @ForAll @Size(16) byte[] key,
      @ForAll @Size(12) byte[] salt,
      @ForAll int ssrc,
      @ForAll @IntRange(max = 0xFFFF) int seq,
      @ForAll @IntRange(max = 4) int csrcs,
      @ForAll @IntRange(max = 2000) int payload,
      @ForAll boolean jce)
      throws Exception {
    byte[] p = new byte[12 + 4 * csrcs + payload + 16];
    for (int i = 0; i < p.length; i++) {
      p[i] = (byte) (i * 31 + payload);
    }
    p[0] = (byte) (0x80 | csrcs);
    p[2] = (byte) (seq >>> 8);
    p[3] = (byte) seq;
    p[8] = (byte) (ssrc >>> 24);
    p[9] = (byte) (ssrc >>> 16);
    p[10] = (byte) (ssrc >>> 8);
    p[11] = (byte) ssrc;
    int header = 12 + 4 * csrcs;
    int len = header + payload;

    byte[] iv = new byte[12];
    iv[2] = p[8];
    iv[3] = p[9];
    iv[4] = p[10];
    iv[5] = p[11];
    iv[10] = p[2];
    iv[11] = p[3];
    for (int i = 0; i < 12; i++) {
      iv[i] ^= salt[i];
    }
    Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
    jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
    jdk.updateAAD(p, 0, header);
    byte[] expected = Arrays.copyOf(p, len + 16);
    jdk.doFinal(p, header, payload, expected, header);

    var keys = new SrtpKeyDerivation.SessionKeys(key, new byte[0], salt);
    SrtpContext ours = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, keys, keys, 4, jce);
    byte[] plain = p.clone();
    assertThat(ours.protectRtp(p, 0, len)).isEqualTo(len + 16);
    assertThat(p).isEqualTo(expected);

    SrtpContext in = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, keys, keys, 4, !jce);
    assertThat(in.unprotectRtp(p, 0, len + 16)).isEqualTo(len);
    assertThat(Arrays.copyOf(p, len)).isEqualTo(Arrays.copyOf(plain, len));
  }
}
