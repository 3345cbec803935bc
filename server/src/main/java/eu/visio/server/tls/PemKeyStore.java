package eu.visio.server.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * TLS key material as a {@link KeyStore} Jetty can use: read from PEM (a certificate chain, leaf
 * first, and an unencrypted private key in PKCS#8, PKCS#1 or SEC1 EC form, as certbot and most CAs
 * hand them out), or made on the spot for local development. Errors name the file and what is wrong
 * with it, never its contents.
 */
public final class PemKeyStore {
  /** The one entry's alias. */
  static final String ALIAS = "visio";

  private PemKeyStore() {}

  /**
   * A key store with one entry, {@code key} and {@code chain}, protected by {@code password}.
   *
   * @throws GeneralSecurityException if the key does not belong to the chain's first certificate (a
   *     renewal caught half-written: the caller keeps what it had)
   */
  static KeyStore of(PrivateKey key, List<X509Certificate> chain, char[] password)
      throws GeneralSecurityException {
    if (chain.isEmpty()) {
      throw new GeneralSecurityException("no certificate");
    }
    if (!matches(key, chain.getFirst().getPublicKey())) {
      throw new GeneralSecurityException(
          "the private key does not belong to the first certificate of the chain");
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try {
      ks.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot make an empty key store", e);
    }
    ks.setKeyEntry(ALIAS, key, password, chain.toArray(Certificate[]::new));
    return ks;
  }

  /** Every certificate in PEM {@code text}, in order. */
  static List<X509Certificate> certificates(String text, String name)
      throws GeneralSecurityException {
    List<X509Certificate> chain = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (PEMParser pem = new PEMParser(new StringReader(text))) {
      for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
        if (o instanceof X509CertificateHolder h) {
          chain.add(converter.getCertificate(h));
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new GeneralSecurityException(name + ": not a PEM certificate chain", e);
    }
    if (chain.isEmpty()) {
      throw new GeneralSecurityException(name + ": no CERTIFICATE block");
    }
    return chain;
  }

  /** The private key in PEM {@code text}: PKCS#8, PKCS#1 (RSA) or SEC1 (EC), not encrypted. */
  static PrivateKey privateKey(String text, String name) throws GeneralSecurityException {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (Reader r = new StringReader(text);
        PEMParser pem = new PEMParser(r)) {
      for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
        switch (o) {
          case PrivateKeyInfo info -> {
            return converter.getPrivateKey(info);
          }
          case PEMKeyPair pair -> {
            // The private part alone: a SEC1 key may leave its public key out.
            return converter.getPrivateKey(pair.getPrivateKeyInfo());
          }
          case PEMEncryptedKeyPair _, PKCS8EncryptedPrivateKeyInfo _ ->
              throw new GeneralSecurityException(
                  name
                      + ": the private key is encrypted; give it unencrypted (readable by the"
                      + " server's user only)");
          case ASN1ObjectIdentifier _ -> {} // an "EC PARAMETERS" block before the key
          default -> {}
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not the parser's message: it could quote the file.
      throw new GeneralSecurityException(name + ": not a PEM private key", e);
    }
    throw new GeneralSecurityException(name + ": no PRIVATE KEY block");
  }

  /** Whether {@code key} signs what {@code pub} verifies: the pair belongs together. */
  private static boolean matches(PrivateKey key, PublicKey pub) throws GeneralSecurityException {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default ->
              throw new GeneralSecurityException(
                  "unsupported private key type: " + key.getAlgorithm());
        };
    if (!algorithm.startsWith("Ed") && !key.getAlgorithm().equals(pub.getAlgorithm())) {
      return false;
    }
    byte[] challenge = "visio key check".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(challenge);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    try {
      verifier.initVerify(pub);
    } catch (java.security.InvalidKeyException e) {
      return false;
    }
    verifier.update(challenge);
    return verifier.verify(signature);
  }

  /**
   * A fresh P-256 key and a self-signed certificate for {@code localhost}, the loopback addresses
   * and {@code addresses}, valid for 30 days: for local development only (browsers warn, and
   * nothing vouches for it).
   */
  static KeyStore selfSigned(List<InetAddress> addresses, char[] password)
      throws GeneralSecurityException {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = gen.generateKeyPair();
    return of(
        pair.getPrivate(), List.of(certificate(pair, addresses, Duration.ofDays(30))), password);
  }

  /** A self-signed certificate for {@code pair} (also used by tests to write PEM files). */
  static X509Certificate certificate(KeyPair pair, List<InetAddress> addresses, Duration validity)
      throws GeneralSecurityException {
    Instant now = Instant.now();
    X500Name name = new X500Name("CN=localhost");
    List<GeneralName> names = new ArrayList<>();
    names.add(new GeneralName(GeneralName.dNSName, "localhost"));
    names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    names.add(new GeneralName(GeneralName.iPAddress, "::1"));
    for (InetAddress a : addresses) {
      if (!a.isAnyLocalAddress() && !a.isLoopbackAddress()) {
        names.add(new GeneralName(GeneralName.iPAddress, a.getHostAddress().replaceAll("%.*", "")));
      }
    }
    try {
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              name,
              new BigInteger(64, new SecureRandom()).setBit(63),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(validity)),
              name,
              pair.getPublic());
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(names.toArray(GeneralName[]::new)));
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      String algorithm =
          pair.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(new JcaContentSignerBuilder(algorithm).build(pair.getPrivate())));
    } catch (OperatorCreationException | IOException e) {
      throw new GeneralSecurityException("cannot make a self-signed certificate", e);
    }
  }
}
