package eu.visio.media.srtp;

/** Test-only access to the package-private GCM pieces, for eu.visio.media.bench.GcmBenchmark. */
public final class GcmBenchHooks {
  private final Ghash ghash;
  private final AesKeystream aes;
  private final GcmEngine engine;

  /** {@code engine} is "java" or "openssl". */
  public GcmBenchHooks(String engine, byte[] key) {
    this.aes = new AesKeystream(key);
    this.ghash = new Ghash(aes.generate(new byte[16], 1).clone());
    this.engine = engine.equals("openssl") ? new OpenSslGcm(key) : new JavaGcm(key);
  }

  /** H for this key, to build other GHASH variants. */
  public byte[] hashKey() {
    return aes.generate(new byte[16], 1).clone();
  }

  public void seal(byte[] iv, byte[] buf, int aadLen, int ctLen) {
    engine.seal(iv, buf, 0, aadLen, 0, 0, aadLen, ctLen);
  }

  /** GHASH over {@code len} bytes into {@code out[0..16)}. */
  public void ghash(byte[] buf, int len, byte[] out) {
    ghash.reset();
    ghash.update(buf, 0, len);
    ghash.finish(0, len, out, 0);
  }

  /** AES-CTR keystream of {@code blocks} blocks; returns one byte so the work is consumed. */
  public byte keystream(byte[] counter, int blocks) {
    return aes.generate(counter, blocks)[16 * blocks - 1];
  }
}
