package eu.visio.media.bench;

import eu.visio.media.srtp.SrtpKeyingMaterial;
import eu.visio.media.srtp.SrtpProfile;
import eu.visio.media.srtp.SrtpSession;
import eu.visio.media.srtp.SrtpTestHooks;
import java.security.GeneralSecurityException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-packet cost of SRTP protect/unprotect on a 1,200-byte RTP packet, for both profiles, plus the
 * JCE {@code AES/GCM/NoPadding} baseline that {@code AesGcmTransform} was measured against.
 *
 * <p>Each op first copies the packet into the work buffer (as a receive or forward path would), so
 * the copy (~1.2 KB) is included in every number. Unprotect replays a ring of 1,024 packets
 * protected in setup with increasing sequence numbers; at each wrap of the ring the inbound
 * per-SSRC state is forgotten so every op is a fresh, authentic packet doing the full work.
 *
 * <p>The GCM rows measure the default engine (OpenSSL libcrypto when present); add {@code
 * -jvmArgsAppend -Dvisio.srtp.gcm=java} for the pure-Java one or {@code =jce} for the JDK's.
 * Results: docs/BENCHMARKS.md. Unprotect shows ~0.12 B/op: the per-SSRC state recreated at each
 * ring wrap.
 *
 * <p>Run: {@code scripts/bench SrtpBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SrtpBenchmark {
  static final int PACKET = 1200;
  static final int RING = 1024;

  /** An RTP packet with one CSRC and a one-byte-header extension, as browsers send. */
  static byte[] rtpPacket(Random random) {
    byte[] p = new byte[PACKET];
    random.nextBytes(p);
    p[0] = (byte) 0x91; // V=2, X=1, CC=1
    p[1] = 96;
    p[16] = (byte) 0xBE; // extension profile 0xBEDE, length 1 word
    p[17] = (byte) 0xDE;
    p[18] = 0;
    p[19] = 1;
    return p;
  }

  @State(Scope.Thread)
  public static class Sessions {
    @Param({"AEAD_AES_128_GCM", "AES128_CM_HMAC_SHA1_80"})
    public SrtpProfile profile;

    SrtpSession sender;
    SrtpSession receiver;
    byte[] plain;
    final byte[] work = new byte[PACKET + SrtpSession.MAX_RTP_OVERHEAD];
    final byte[][] ring = new byte[RING][];
    int protectedLength;
    int seq;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
      Random random = new Random(7);
      byte[] exported = new byte[SrtpKeyingMaterial.exportLength(profile)];
      random.nextBytes(exported);
      SrtpKeyingMaterial keys = SrtpKeyingMaterial.fromExported(profile, exported);
      sender = new SrtpSession(keys, true);
      receiver = new SrtpSession(keys, false);
      plain = rtpPacket(random);
      SrtpSession recorder = new SrtpSession(keys, true);
      for (int i = 0; i < RING; i++) {
        byte[] b = new byte[PACKET + SrtpSession.MAX_RTP_OVERHEAD];
        System.arraycopy(plain, 0, b, 0, PACKET);
        b[2] = (byte) (i >>> 8);
        b[3] = (byte) i;
        protectedLength = recorder.protectRtp(b, 0, PACKET);
        ring[i] = b;
      }
    }
  }

  @Benchmark
  public int protect(Sessions s) {
    System.arraycopy(s.plain, 0, s.work, 0, PACKET);
    int seq = s.seq++;
    s.work[2] = (byte) (seq >>> 8);
    s.work[3] = (byte) seq;
    return s.sender.protectRtp(s.work, 0, PACKET);
  }

  @Benchmark
  public int unprotect(Sessions s) {
    int i = s.next;
    if (i == RING) {
      SrtpTestHooks.resetInbound(s.receiver);
      i = 0;
    }
    s.next = i + 1;
    System.arraycopy(s.ring[i], 0, s.work, 0, s.protectedLength);
    return s.receiver.unprotectRtp(s.work, 0, s.protectedLength);
  }

  /** JCE AES-GCM, re-initialised per packet as SRTP requires: the rejected alternative. */
  @State(Scope.Thread)
  public static class Jce {
    Cipher gcm;
    SecretKeySpec key;
    final byte[] iv = new byte[12];
    byte[] plain;
    final byte[] work = new byte[PACKET + 16];
    final byte[] out = new byte[PACKET + 16];
    byte[] sealed;
    long counter;

    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException {
      Random random = new Random(7);
      byte[] k = new byte[16];
      random.nextBytes(k);
      key = new SecretKeySpec(k, "AES");
      gcm = Cipher.getInstance("AES/GCM/NoPadding");
      plain = rtpPacket(random);
      gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
      gcm.updateAAD(plain, 0, 20);
      sealed = new byte[PACKET + 16];
      System.arraycopy(plain, 0, sealed, 0, 20);
      gcm.doFinal(plain, 20, PACKET - 20, sealed, 20);
    }
  }

  @Benchmark
  public int jceGcmSeal(Jce j) throws GeneralSecurityException {
    System.arraycopy(j.plain, 0, j.work, 0, PACKET);
    long c = ++j.counter;
    for (int b = 0; b < 8; b++) {
      j.iv[4 + b] = (byte) (c >>> (56 - 8 * b));
    }
    j.gcm.init(Cipher.ENCRYPT_MODE, j.key, new GCMParameterSpec(128, j.iv));
    j.gcm.updateAAD(j.work, 0, 20);
    return j.gcm.doFinal(j.work, 20, PACKET - 20, j.out, 20);
  }

  @Benchmark
  public int jceGcmOpen(Jce j) throws GeneralSecurityException {
    System.arraycopy(j.sealed, 0, j.work, 0, PACKET + 16);
    java.util.Arrays.fill(j.iv, (byte) 0);
    j.gcm.init(Cipher.DECRYPT_MODE, j.key, new GCMParameterSpec(128, j.iv));
    j.gcm.updateAAD(j.work, 0, 20);
    return j.gcm.doFinal(j.work, 20, PACKET - 4, j.out, 20);
  }
}
