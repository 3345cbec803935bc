package eu.visio.server.tls;

import eu.visio.server.ServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS port's TLS settings, as a Jetty {@link SslContextFactory.Server}: TLS 1.2 and 1.3 only,
 * forward-secret AEAD suites only (ECDHE with AES-GCM or ChaCha20-Poly1305; no CBC, no RSA key
 * exchange), the server's order. The certificate comes from PEM files, checked every {@code
 * reloadCheck} and swapped in when their contents change (new connections get the new one, open
 * ones keep theirs; no restart), or is self-signed at start for development.
 *
 * <p>A change that cannot be used (a key that does not match the certificate: a renewal caught
 * between writing the two files) is logged once and the previous certificate stays until the files
 * agree. Nothing of the key is ever logged.
 */
public final class TlsContext implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TlsContext.class);

  /** The protocols offered, newest first. */
  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  /** AEAD suites with forward secrecy only; the TLS 1.3 ones first, then ECDHE for TLS 1.2. */
  public static final List<String> CIPHER_SUITES =
      List.of(
          "TLS_AES_128_GCM_SHA256",
          "TLS_AES_256_GCM_SHA384",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private final SslContextFactory.Server factory = new SslContextFactory.Server();
  // The key store's password: random, in memory only (the store never touches the disk).
  private final String password;
  private final ServerConfig.Tls config;
  private final ScheduledExecutorService reloader;
  // Digest of the files now served, and of the last contents that could not be used.
  private byte[] served;
  private byte[] refused;
  private volatile X509Certificate certificate;
  private final java.util.concurrent.atomic.AtomicInteger refusedChanges =
      new java.util.concurrent.atomic.AtomicInteger();

  private TlsContext(ServerConfig.Tls config, List<InetAddress> addresses)
      throws GeneralSecurityException, IOException {
    this.config = config;
    byte[] random = new byte[18];
    new SecureRandom().nextBytes(random);
    password = Base64.getEncoder().encodeToString(random);
    KeyStore ks;
    if (config.selfSigned()) {
      ks = PemKeyStore.selfSigned(addresses, password.toCharArray());
    } else {
      byte[][] files = readFiles();
      ks = load(files);
      served = digest(files);
    }
    certificate = (X509Certificate) ks.getCertificate(PemKeyStore.ALIAS);
    factory.setKeyStore(ks);
    factory.setKeyStorePassword(password);
    factory.setKeyManagerPassword(password);
    factory.setIncludeProtocols(PROTOCOLS.toArray(String[]::new));
    factory.setIncludeCipherSuites(CIPHER_SUITES.toArray(String[]::new));
    factory.setUseCipherSuitesOrder(true);
    factory.setCipherComparator(HTTP2Cipher.COMPARATOR);
    factory.setRenegotiationAllowed(false);
    // Clients reach us by IP address as well as by name (ICE, tests): no SNI is required.
    factory.setSniRequired(false);
    if (config.selfSigned()) {
      reloader = null;
      log.warn(
          "HTTPS with a self-signed certificate (development only): browsers will warn, and"
              + " nothing vouches for this server");
    } else {
      reloader =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofPlatform().name("visio-tls-reload").daemon(true).factory());
      long period = config.reloadCheck().toMillis();
      java.util.concurrent.ScheduledFuture<?> _ =
          reloader.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
    }
    log.info("HTTPS certificate: {}", describe(certificate));
  }

  /**
   * Reads the files (or makes the self-signed certificate) and starts watching them.
   *
   * @throws IllegalArgumentException naming the file and the problem
   */
  public static TlsContext start(ServerConfig.Tls config, List<InetAddress> addresses) {
    try {
      return new TlsContext(config, addresses);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("tls: " + e.getMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException("tls: cannot read " + e.getMessage());
    }
  }

  public SslContextFactory.Server factory() {
    return factory;
  }

  /** The certificate served to new connections. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** Changes to the files that could not be used (and left the previous certificate served). */
  public int refusedChanges() {
    return refusedChanges.get();
  }

  /** One check of the files: swaps the certificate in if they changed and agree. */
  void check() {
    try {
      byte[][] files = readFiles();
      byte[] d = digest(files);
      if (Arrays.equals(d, served) || Arrays.equals(d, refused)) {
        return;
      }
      KeyStore ks;
      try {
        ks = load(files);
      } catch (GeneralSecurityException e) {
        refused = d;
        refusedChanges.incrementAndGet();
        log.warn(
            "HTTPS certificate files changed but cannot be used yet ({}); still serving {}",
            e.getMessage(),
            describe(certificate));
        return;
      }
      factory.reload(f -> f.setKeyStore(ks));
      served = d;
      certificate = (X509Certificate) ks.getCertificate(PemKeyStore.ALIAS);
      log.info("HTTPS certificate reloaded: {}", describe(certificate));
    } catch (IOException e) {
      // Mid-rename or briefly missing: the next check sees the settled files.
      log.debug("HTTPS certificate files unreadable for now", e);
    } catch (Exception e) {
      log.warn("HTTPS certificate reload failed; still serving {}", describe(certificate), e);
    }
  }

  private byte[][] readFiles() throws IOException {
    Path cert = config.certFile().orElseThrow();
    Path key = config.keyFile().orElseThrow();
    return new byte[][] {Files.readAllBytes(cert), Files.readAllBytes(key)};
  }

  private KeyStore load(byte[][] files) throws GeneralSecurityException {
    String certName = config.certFile().orElseThrow().toString();
    String keyName = config.keyFile().orElseThrow().toString();
    String keyText = new String(files[1], java.nio.charset.StandardCharsets.US_ASCII);
    return PemKeyStore.of(
        PemKeyStore.privateKey(keyText, keyName),
        PemKeyStore.certificates(
            new String(files[0], java.nio.charset.StandardCharsets.US_ASCII), certName),
        password.toCharArray());
  }

  private static byte[] digest(byte[][] files) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (byte[] f : files) {
        sha.update(f);
        sha.update((byte) 0);
      }
      return sha.digest();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String describe(X509Certificate c) {
    return c.getSubjectX500Principal().getName() + " until " + c.getNotAfter().toInstant();
  }

  @Override
  public void close() {
    if (reloader != null) {
      reloader.shutdownNow();
    }
  }
}
