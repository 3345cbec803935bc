package eu.visio.media.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.srtp.SrtpKeyingMaterial;
import eu.visio.media.srtp.SrtpProfile;
import java.io.IOException;
import java.util.Hashtable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Our server against hand-configured bctls clients that break one rule each. Every client is valid
 * apart from that rule; {@link #compliantClientConnects} is the control that proves it.
 */
@Timeout(30)
class DtlsPeerPolicyTest {
  private static final BcTlsCrypto CRYPTO = new BcTlsCrypto();
  private static final ExecutorService THREADS = Executors.newVirtualThreadPerTaskExecutor();

  @AfterAll
  static void shutdown() {
    THREADS.shutdownNow();
  }

  /** A plain bctls DTLS client with knobs for the property under test. */
  private static final class RawClient extends DefaultTlsClient {
    boolean extendedMasterSecret = true;
    ProtocolVersion[] versions = ProtocolVersion.DTLSv12.only();
    int[] suites = {CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256};
    boolean sendCertificate = true;
    boolean offerSrtp = true;
    final DtlsSrtpContext identity =
        new DtlsSrtpContext(
            CRYPTO, DtlsPair.CLIENT_CERT, DtlsPair.SERVER_CERT.sha256Fingerprint(), DtlsPair.FAST);
    byte[] exported;

    RawClient() {
      super(CRYPTO);
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
      return versions;
    }

    @Override
    protected int[] getSupportedCipherSuites() {
      return suites;
    }

    @Override
    public boolean shouldUseExtendedMasterSecret() {
      return extendedMasterSecret;
    }

    @Override
    public boolean requiresExtendedMasterSecret() {
      return false;
    }

    @Override
    public int getHandshakeResendTimeMillis() {
      return 50;
    }

    @Override
    public int getHandshakeTimeoutMillis() {
      return 5000;
    }

    @Override
    public Hashtable<?, ?> getClientExtensions() throws IOException {
      Hashtable<?, ?> ext =
          TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
      if (offerSrtp) {
        TlsSRTPUtils.addUseSRTPExtension(
            ext,
            new UseSRTPData(new int[] {SrtpProfile.AEAD_AES_128_GCM.id}, TlsUtils.EMPTY_BYTES));
      }
      return ext;
    }

    @Override
    public TlsAuthentication getAuthentication() {
      return new TlsAuthentication() {
        @Override
        public void notifyServerCertificate(TlsServerCertificate serverCertificate)
            throws IOException {
          identity.verifyPeer(serverCertificate.getCertificate());
        }

        @Override
        public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
          return sendCertificate ? identity.signer(context) : null;
        }
      };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
      super.notifyHandshakeComplete();
      exported =
          context.exportKeyingMaterial(
              ExporterLabel.dtls_srtp,
              null,
              SrtpKeyingMaterial.exportLength(SrtpProfile.AEAD_AES_128_GCM));
    }
  }

  /** Runs {@code client} against one of our server transports. */
  private static final class Run {
    final DtlsPair.Events serverEvents = new DtlsPair.Events();
    final CompletableFuture<DTLSTransport> client;
    final DtlsTransport server;

    Run(RawClient raw) {
      DtlsTransport[] s = new DtlsTransport[1];
      QueuedDatagramTransport clientSide =
          new QueuedDatagramTransport((b, o, l) -> s[0].receive(b, o, l), 1200, 64);
      server =
          new DtlsTransport(
              DtlsRole.SERVER,
              DtlsPair.SERVER_CERT,
              DtlsPair.CLIENT_CERT.sha256Fingerprint(),
              clientSide::offer,
              serverEvents,
              DtlsPair.FAST);
      s[0] = server;
      server.start();
      client =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return new DTLSClientProtocol().connect(raw, clientSide);
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              },
              THREADS);
    }

    String serverFailure() throws Exception {
      return serverEvents.failed.get(10, TimeUnit.SECONDS);
    }

    boolean clientFailed() throws Exception {
      try {
        client.get(10, TimeUnit.SECONDS);
        return false;
      } catch (ExecutionException e) {
        return true;
      }
    }
  }

  @Test
  void compliantClientConnects() throws Exception {
    RawClient raw = new RawClient();
    Run run = new Run(raw);
    SrtpKeyingMaterial keys = run.serverEvents.connected.get(10, TimeUnit.SECONDS);
    run.client.get(10, TimeUnit.SECONDS);
    assertThat(
            SrtpKeyingMaterial.fromExported(SrtpProfile.AEAD_AES_128_GCM, raw.exported).serverKey())
        .isEqualTo(keys.serverKey());
    run.server.close();
  }

  @Test
  void clientWithoutExtendedMasterSecretIsRejected() throws Exception {
    RawClient raw = new RawClient();
    raw.extendedMasterSecret = false;
    Run run = new Run(raw);
    assertThat(run.serverFailure())
        .contains("handshake_failure")
        .contains("Extended Master Secret");
    assertThat(run.clientFailed()).isTrue();
    assertThat(run.serverEvents.connected).isNotDone();
  }

  @Test
  void dtls10OnlyClientIsRejected() throws Exception {
    RawClient raw = new RawClient();
    raw.versions = ProtocolVersion.DTLSv10.only();
    raw.suites = new int[] {CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA};
    Run run = new Run(raw);
    assertThat(run.serverFailure()).contains("protocol_version");
    assertThat(run.clientFailed()).isTrue();
    assertThat(run.serverEvents.connected).isNotDone();
  }

  @Test
  void clientWithoutCertificateIsRejected() throws Exception {
    RawClient raw = new RawClient();
    raw.sendCertificate = false;
    Run run = new Run(raw);
    assertThat(run.serverFailure()).contains("handshake_failure").contains("no certificate");
    assertThat(run.clientFailed()).isTrue();
    assertThat(run.serverEvents.connected).isNotDone();
  }

  @Test
  void clientWithoutUseSrtpIsRejected() throws Exception {
    RawClient raw = new RawClient();
    raw.offerSrtp = false;
    Run run = new Run(raw);
    assertThat(run.serverFailure()).contains("use_srtp");
    assertThat(run.clientFailed()).isTrue();
  }

  @Test
  void cbcOnlyClientIsRejected() throws Exception {
    RawClient raw = new RawClient();
    raw.suites = new int[] {CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256};
    Run run = new Run(raw);
    assertThat(run.serverFailure()).contains("No selectable cipher suite");
    assertThat(run.clientFailed()).isTrue();
  }
}
