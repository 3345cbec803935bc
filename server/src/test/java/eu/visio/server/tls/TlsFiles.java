package eu.visio.server.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;

/** PEM certificate and key files written by tests, and a client that trusts any server. */
public final class TlsFiles {
  /** How the private key is written. */
  public enum KeyForm {
    /** "PRIVATE KEY" (what most tools write today). */
    PKCS8,
    /** "RSA PRIVATE KEY" or "EC PRIVATE KEY": OpenSSL's traditional forms. */
    TRADITIONAL
  }

  private TlsFiles() {}

  public static KeyPair ec() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  public static KeyPair rsa() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  /** A self-signed certificate for localhost and 127.0.0.1. */
  public static X509Certificate certificate(KeyPair pair) {
    try {
      return PemKeyStore.certificate(pair, List.of(), Duration.ofDays(1));
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  public static String pem(X509Certificate cert) {
    return pemOf(cert);
  }

  public static String pem(KeyPair pair, KeyForm form) {
    return switch (form) {
      case PKCS8 -> pemOf(new PemObject("PRIVATE KEY", pair.getPrivate().getEncoded()));
      // "RSA PRIVATE KEY" (PKCS#1) or "EC PRIVATE KEY" (SEC1).
      case TRADITIONAL -> pair.getPrivate().getAlgorithm().equals("EC") ? sec1(pair) : pemOf(pair);
    };
  }

  /**
   * An EC key as OpenSSL writes it ("EC PRIVATE KEY", SEC1): the curve inside, as the JDK's PKCS#8
   * encoding (which keeps it outside) would not give.
   */
  private static String sec1(KeyPair pair) {
    org.bouncycastle.asn1.pkcs.PrivateKeyInfo info =
        org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(pair.getPrivate().getEncoded());
    java.security.interfaces.ECPrivateKey key =
        (java.security.interfaces.ECPrivateKey) pair.getPrivate();
    try {
      org.bouncycastle.asn1.sec.ECPrivateKey sec =
          new org.bouncycastle.asn1.sec.ECPrivateKey(
              256, key.getS(), info.getPrivateKeyAlgorithm().getParameters());
      return pemOf(new PemObject("EC PRIVATE KEY", sec.getEncoded()));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** {@code pair}'s key as "ENCRYPTED PRIVATE KEY" (PKCS#8, AES-256-CBC). */
  public static String encryptedPkcs8(KeyPair pair) {
    try {
      return pemOf(
          new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(
              pair.getPrivate(),
              new org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder(
                      org.bouncycastle.openssl.PKCS8Generator.AES_256_CBC)
                  .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                  .setPassword("secret".toCharArray())
                  .build()));
    } catch (org.bouncycastle.operator.OperatorCreationException | IOException e) {
      throw new AssertionError(e);
    }
  }

  /** {@code pair}'s key in OpenSSL's traditional form, encrypted ("Proc-Type: 4,ENCRYPTED"). */
  public static String encryptedTraditional(KeyPair pair) {
    try {
      return pemOf(
          new JcaMiscPEMGenerator(
              pair.getPrivate(),
              new org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder("AES-128-CBC")
                  .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                  .build("secret".toCharArray())));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String pemOf(Object o) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      if (o instanceof PemObject p) {
        w.writeObject(p);
      } else if (o instanceof org.bouncycastle.util.io.pem.PemObjectGenerator g) {
        w.writeObject(g);
      } else if (o instanceof KeyPair kp) {
        w.writeObject(new JcaMiscPEMGenerator(kp.getPrivate()));
      } else {
        w.writeObject(o);
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out.toString();
  }

  /**
   * Writes {@code pair}'s certificate (new) and key to {@code cert} and {@code key}, each replaced
   * in one rename as certbot does; returns the certificate.
   */
  public static X509Certificate write(Path cert, Path key, KeyPair pair, KeyForm form)
      throws IOException {
    X509Certificate c = certificate(pair);
    replace(cert, pem(c));
    replace(key, pem(pair, form));
    return c;
  }

  public static void replace(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** A client context that accepts any server certificate (the tests check it themselves). */
  public static SSLContext trustingAll() {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  private static final class TrustAll extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
