package eu.visio.media.dtls;

import eu.visio.media.srtp.SrtpKeyingMaterial;
import eu.visio.media.srtp.SrtpProfile;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.EncryptionAlgorithm;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What our bctls client and server share for DTLS-SRTP: the version and cipher policy, use_srtp
 * negotiation (RFC 5764 §4.1), fingerprint authentication of the peer (RFC 8122 §5, RFC 8842 §5),
 * and the SRTP key export (RFC 5764 §4.2). One per handshake; bctls calls it on the handshake
 * thread, {@link DtlsTransport} reads the results after {@code connect}/{@code accept} returns.
 */
final class DtlsSrtpContext {
  private static final Logger LOG = LoggerFactory.getLogger(DtlsSrtpContext.class);

  /** DTLS 1.2 only: 1.0 lacks AEAD suites and RFC 8827 §6.5 requires 1.2. */
  static final ProtocolVersion[] VERSIONS = ProtocolVersion.DTLSv12.only();

  /** Our certificate is ECDSA, so as server only ECDSA suites are usable. AES-128-GCM first. */
  static final int[] SERVER_SUITES = {
    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
  };

  /** As client we also accept servers with RSA certificates (some GStreamer/OpenSSL builds). */
  static final int[] CLIENT_SUITES = {
    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
  };

  private final BcTlsCrypto crypto;
  private final DtlsCertificate certificate;
  private final DtlsFingerprint remoteFingerprint;
  private final DtlsSettings settings;

  private volatile SrtpProfile profile;
  private volatile SrtpKeyingMaterial keys;
  private volatile boolean closeNotifyReceived;
  private volatile String alert;
  private volatile int minProtectedRecord = DtlsPacket.MIN_CHACHA20_POLY1305_RECORD;

  DtlsSrtpContext(
      BcTlsCrypto crypto,
      DtlsCertificate certificate,
      DtlsFingerprint remoteFingerprint,
      DtlsSettings settings) {
    this.crypto = crypto;
    this.certificate = certificate;
    this.remoteFingerprint = remoteFingerprint;
    this.settings = settings;
  }

  /** Records the negotiated suite's AEAD overhead for {@link DtlsPacket#wellFormed}. */
  void cipherSuiteSelected(int suite) {
    minProtectedRecord =
        TlsUtils.getEncryptionAlgorithm(suite) == EncryptionAlgorithm.CHACHA20_POLY1305
            ? DtlsPacket.MIN_CHACHA20_POLY1305_RECORD
            : DtlsPacket.MIN_AES_GCM_RECORD;
  }

  /**
   * The smallest protected record the peer can legitimately send (the smallest of all suites until
   * one is chosen).
   */
  int minProtectedRecord() {
    return minProtectedRecord;
  }

  BcTlsCrypto crypto() {
    return crypto;
  }

  int handshakeTimeoutMillis() {
    return (int) Math.min(Integer.MAX_VALUE, settings.handshakeTimeout().toMillis());
  }

  int resendMillis() {
    return (int) Math.min(Integer.MAX_VALUE, settings.initialRetransmit().toMillis());
  }

  /** The client's use_srtp offer: our profiles in preference order, no MKI. */
  UseSRTPData offer() {
    List<SrtpProfile> ours = settings.srtpProfiles();
    int[] ids = new int[ours.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = ours.get(i).id;
    }
    return new UseSRTPData(ids, TlsUtils.EMPTY_BYTES);
  }

  /**
   * Server side: picks our most preferred profile that the client offered (RFC 5764 §4.1.1 leaves
   * the choice to the server) and returns the one-profile answer.
   */
  UseSRTPData choose(UseSRTPData clientOffer) throws TlsFatalAlert {
    if (clientOffer == null) {
      // Without use_srtp there would be no media keys; this is not a WebRTC peer.
      throw new TlsFatalAlert(AlertDescription.handshake_failure, "client did not offer use_srtp");
    }
    int[] offered = clientOffer.getProtectionProfiles();
    for (SrtpProfile p : settings.srtpProfiles()) {
      if (contains(offered, p.id)) {
        profile = p;
        return new UseSRTPData(new int[] {p.id}, TlsUtils.EMPTY_BYTES);
      }
    }
    throw new TlsFatalAlert(AlertDescription.handshake_failure, "no common SRTP profile");
  }

  /**
   * Client side: the server must answer exactly one of the profiles we offered, and an MKI that is
   * empty or ours, which is empty (RFC 5764 §4.1.1, §4.1.3).
   */
  void accept(UseSRTPData serverAnswer) throws TlsFatalAlert {
    if (serverAnswer == null) {
      throw new TlsFatalAlert(AlertDescription.handshake_failure, "server did not answer use_srtp");
    }
    int[] chosen = serverAnswer.getProtectionProfiles();
    SrtpProfile p = chosen.length == 1 ? SrtpProfile.byId(chosen[0]) : null;
    if (p == null || !settings.srtpProfiles().contains(p) || serverAnswer.getMki().length != 0) {
      throw new TlsFatalAlert(AlertDescription.illegal_parameter, "bad use_srtp answer");
    }
    profile = p;
  }

  /**
   * Checks the peer's end-entity certificate against the SDP fingerprint (RFC 8842 §5.1). This is
   * the whole of peer authentication: the certificate is self-signed, and bctls then checks that
   * the peer holds its private key (CertificateVerify / ServerKeyExchange signature).
   */
  void verifyPeer(Certificate chain) throws IOException {
    if (chain == null || chain.isEmpty()) {
      // RFC 8827 §6.5: both ends must present a certificate; a client sending none is rejected.
      throw new TlsFatalAlert(AlertDescription.handshake_failure, "peer sent no certificate");
    }
    if (!remoteFingerprint.matches(chain.getCertificateAt(0).getEncoded())) {
      throw new TlsFatalAlert(AlertDescription.bad_certificate, "certificate fingerprint mismatch");
    }
  }

  /** Signs with our ECDSA P-256 key; SHA-256 is the hash every DTLS 1.2 peer supports with it. */
  TlsCredentialedSigner signer(TlsContext context) throws IOException {
    return new BcDefaultTlsCredentialedSigner(
        new TlsCryptoParameters(context),
        crypto,
        certificate.privateKey(),
        certificate.chain(crypto),
        new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
  }

  /**
   * Exports the SRTP master keys with the "EXTRACTOR-dtls_srtp" label (RFC 5764 §4.2); called from
   * {@code notifyHandshakeComplete}, when the master secret is final.
   */
  void exportKeys(TlsContext context) throws TlsFatalAlert {
    SrtpProfile p = profile;
    if (p == null) {
      throw new TlsFatalAlert(AlertDescription.internal_error, "no SRTP profile negotiated");
    }
    byte[] material =
        context.exportKeyingMaterial(
            ExporterLabel.dtls_srtp, null, SrtpKeyingMaterial.exportLength(p));
    keys = SrtpKeyingMaterial.fromExported(p, material);
    Arrays.fill(material, (byte) 0);
  }

  /** The exported keys, or null before the handshake completed. */
  SrtpKeyingMaterial keys() {
    return keys;
  }

  boolean closeNotifyReceived() {
    return closeNotifyReceived;
  }

  /** The last alert sent or received, for failure reports; null if none. */
  String lastAlert() {
    return alert;
  }

  void alertRaised(short level, short description, String message) {
    alert =
        "sent " + AlertDescription.getText(description) + (message == null ? "" : ": " + message);
    LOG.debug("DTLS alert raised: level {} {}", level, alert);
  }

  void alertReceived(short level, short description) {
    if (description == AlertDescription.close_notify) {
      closeNotifyReceived = true;
    } else {
      alert = "received " + AlertDescription.getText(description);
    }
    LOG.debug("DTLS alert received: level {} {}", level, AlertDescription.getText(description));
  }

  private static boolean contains(int[] values, int v) {
    for (int x : values) {
      if (x == v) {
        return true;
      }
    }
    return false;
  }
}
