package eu.visio.media.srtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every {@link GcmEngine}, named explicitly so that each is tested whichever one the process
 * default picks: RFC 7714 vectors through {@link AesGcmTransform}, equality with the JDK's GCM for
 * any AAD split and length, tamper rejection that leaves the buffer untouched, and no allocation
 * per packet. OpenSSL cases are skipped (with the reason) where libcrypto is unusable.
 */
class GcmEngineTest {

  private static GcmEngine engine(String name, byte[] key) {
    if (name.equals("openssl")) {
      assumeTrue(OpenSslGcm.isAvailable(), () -> "libcrypto: " + OpenSslGcm.unavailableReason());
      return new OpenSslGcm(key);
    }
    return new JavaGcm(key);
  }

  // RFC 7714 §16: session key and salt, then the RTP and RTCP packets (as in SrtpVectorsTest).
  private static final byte[] KEY = Hex.bytes("000102030405060708090a0b0c0d0e0f");
  private static final byte[] SALT = Hex.bytes("517569642070726f2071756f");

  @ParameterizedTest
  @ValueSource(strings = {"java", "openssl"})
  void rfc7714Rtp(String name) {
    AesGcmTransform gcm = new AesGcmTransform(engine(name, KEY), SALT);
    byte[] plain =
        Hex.bytes(
            "8040f17b8041f8d35501a0b2" // V=2 PT=64 seq=0xf17b ts SSRC=0x5501a0b2
                + "47616c6c696120657374206f6d6e69732064697669736120696e207061727465732074726573");
    byte[] buf = Arrays.copyOf(plain, 128);
    int len = gcm.protectRtp(buf, 0, plain.length, 12, 0x5501a0b2, 0xf17b);
    assertThat(Hex.of(buf, 0, len))
        .isEqualTo(
            "8040f17b8041f8d35501a0b2"
                + "f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b36de3adf8833"
                + "899d7f27beb16a9152cf765ee4390cce"); // tag
    assertThat(gcm.unprotectRtp(buf, 0, len, 12, 0x5501a0b2, 0xf17b)).isTrue();
    assertThat(Arrays.copyOf(buf, plain.length)).isEqualTo(plain);
  }

  @ParameterizedTest
  @ValueSource(strings = {"java", "openssl"})
  void rfc7714Rtcp(String name) {
    AesGcmTransform gcm = new AesGcmTransform(engine(name, KEY), SALT);
    byte[] plain =
        Hex.bytes(
            "81c8000d4d617273" // SR, SSRC 0x4d617273: the 8 bytes of AAD
                + "4e5450314e545032525450200000042a0000e9304c756e61"
                + "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef");
    byte[] buf = Arrays.copyOf(plain, 128);
    int len = gcm.protectRtcp(buf, 0, plain.length, 0x4d617273, 0x5d4);
    assertThat(Hex.of(buf, 0, len))
        .isEqualTo(
            "81c8000d4d617273"
                + "63e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc676a5f1730d6fda4ce09b4686303ded"
                + "0bb9275bc84aa45896cf4d2fc5abf87245d9eade" // tag
                + "800005d4"); // E=1, SRTCP index: AAD after the tag
    assertThat(gcm.unprotectRtcp(buf, 0, len, 0x4d617273, 0x800005d4)).isTrue();
    assertThat(Arrays.copyOf(buf, plain.length)).isEqualTo(plain);
  }

  /**
   * Layout as SRTCP uses it, the most general one: aad1 | ciphertext | tag | aad2, at an offset.
   * The JDK's GCM is the reference; then one flipped bit anywhere must fail and change nothing.
   */
  @Property(tries = 400)
  void sealEqualsJdkAndOpenRejectsAnyTamper(
      @ForAll boolean openssl,
      @ForAll @Size(16) byte[] key,
      @ForAll @Size(12) byte[] iv,
      @ForAll @IntRange(max = 7) int offset,
      @ForAll @IntRange(max = 70) int aadLen,
      @ForAll @IntRange(max = 8) int aad2Len,
      @ForAll @IntRange(max = 1600) int ctLen,
      @ForAll @IntRange(max = 1_000_000) int flip)
      throws Exception {
    Assume.that(!openssl || OpenSslGcm.isAvailable());
    GcmEngine gcm = openssl ? new OpenSslGcm(key) : new JavaGcm(key);
    int ct = offset + aadLen;
    int aad2 = ct + ctLen + 16;
    byte[] buf = new byte[aad2 + aad2Len + 3];
    for (int i = 0; i < buf.length; i++) {
      buf[i] = (byte) (i * 131 + ctLen);
    }
    byte[] plain = buf.clone();

    Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
    jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
    jdk.updateAAD(buf, offset, aadLen);
    jdk.updateAAD(buf, aad2, aad2Len);
    byte[] expected = buf.clone();
    jdk.doFinal(buf, ct, ctLen, expected, ct);

    gcm.seal(iv, buf, offset, aadLen, aad2, aad2Len, ct, ctLen);
    assertThat(buf).isEqualTo(expected);

    byte[] sealed = buf.clone();
    int covered = aadLen + ctLen + 16 + aad2Len; // every authenticated byte, tag included
    int k = flip % covered;
    int at = k < aadLen + ctLen + 16 ? offset + k : aad2 + (k - aadLen - ctLen - 16);
    buf[at] ^= (byte) (1 << (flip & 7));
    byte[] tampered = buf.clone();
    assertThat(gcm.open(iv, buf, offset, aadLen, aad2, aad2Len, ct, ctLen)).isFalse();
    assertThat(buf).isEqualTo(tampered);

    assertThat(gcm.open(iv, sealed, offset, aadLen, aad2, aad2Len, ct, ctLen)).isTrue();
    assertThat(Arrays.copyOfRange(sealed, ct, ct + ctLen))
        .isEqualTo(Arrays.copyOfRange(plain, ct, ct + ctLen));
  }

  /** The point of both engines over the JDK's: SRTP runs per packet, so no garbage per packet. */
  @ParameterizedTest
  @ValueSource(strings = {"java", "openssl"})
  void sealAndOpenAllocateNothing(String name) {
    GcmEngine gcm = engine(name, KEY);
    byte[] iv = new byte[12];
    byte[] buf = new byte[1200 + 16];
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().threadId();
    int packets = 5_000;
    // Steady state is what counts: until the JIT has compiled the loop (slow on a loaded machine),
    // interpreted code may allocate what compiled code scalar-replaces. Take the best of 20 rounds.
    long allocated = Long.MAX_VALUE;
    for (int round = 0; round < 20 && allocated >= packets / 10; round++) {
      long before = threads.getThreadAllocatedBytes(tid);
      for (int i = 0; i < packets; i++) {
        iv[11] = (byte) i;
        gcm.seal(iv, buf, 0, 12, 0, 0, 12, 1188);
        if (!gcm.open(iv, buf, 0, 12, 0, 0, 12, 1188)) {
          throw new AssertionError("packet " + i + " did not open");
        }
      }
      allocated = Math.min(allocated, threads.getThreadAllocatedBytes(tid) - before);
    }
    assertThat(allocated).isLessThan(packets / 10); // under 0.1 B per packet
  }

  @Test
  void propertySelectsTheEngine() {
    String saved = System.getProperty("visio.srtp.gcm");
    try {
      System.setProperty("visio.srtp.gcm", "java");
      assertThat(GcmEngine.create(KEY)).isInstanceOf(JavaGcm.class);
      System.setProperty("visio.srtp.gcm", "ghash"); // the older name
      assertThat(GcmEngine.create(KEY)).isInstanceOf(JavaGcm.class);
      System.clearProperty("visio.srtp.gcm");
      assertThat(GcmEngine.create(KEY))
          .isInstanceOf(OpenSslGcm.isAvailable() ? OpenSslGcm.class : JavaGcm.class);
      System.setProperty("visio.srtp.gcm", "openssl");
      if (OpenSslGcm.isAvailable()) {
        assertThat(GcmEngine.create(KEY)).isInstanceOf(OpenSslGcm.class);
      } else {
        assertThatThrownBy(() -> GcmEngine.create(KEY)).isInstanceOf(IllegalStateException.class);
      }
    } finally {
      if (saved == null) {
        System.clearProperty("visio.srtp.gcm");
      } else {
        System.setProperty("visio.srtp.gcm", saved);
      }
    }
  }
}
