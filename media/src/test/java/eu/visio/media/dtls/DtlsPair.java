package eu.visio.media.dtls;

import eu.visio.media.net.DatagramSender;
import eu.visio.media.srtp.SrtpKeyingMaterial;
import eu.visio.media.srtp.SrtpProfile;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/** Test harness: a client and a server DtlsTransport wired back to back in memory. */
final class DtlsPair {
  static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generate();
  static final DtlsCertificate SERVER_CERT = DtlsCertificate.generate();
  static final DtlsCertificate OTHER_CERT = DtlsCertificate.generate();

  /** Short timers so loss and timeout tests take milliseconds, not seconds. */
  static final DtlsSettings FAST =
      DtlsSettings.DEFAULTS.withTimers(Duration.ofSeconds(5), Duration.ofMillis(50));

  /** Records every listener event as futures / queues. */
  static final class Events implements DtlsTransport.Listener {
    final CompletableFuture<SrtpKeyingMaterial> connected = new CompletableFuture<>();
    final CompletableFuture<String> failed = new CompletableFuture<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    final LinkedBlockingQueue<byte[]> data = new LinkedBlockingQueue<>();

    @Override
    public void onConnected(SrtpKeyingMaterial keys, SrtpProfile profile) {
      if (keys.profile() != profile) {
        failed.complete("profile mismatch");
      }
      connected.complete(keys);
    }

    @Override
    public void onFailed(String reason) {
      failed.complete(reason);
    }

    @Override
    public void onClosed() {
      closed.complete(null);
    }

    @Override
    public void onApplicationData(byte[] buf, int off, int len) {
      byte[] copy = new byte[len];
      System.arraycopy(buf, off, copy, 0, len);
      data.add(copy);
    }

    /** True if any terminal or connect event happened. */
    boolean anyEvent() {
      return connected.isDone() || failed.isDone() || closed.isDone();
    }
  }

  final Events clientEvents = new Events();
  final Events serverEvents = new Events();
  final AtomicInteger clientDatagrams = new AtomicInteger();
  final AtomicInteger serverDatagrams = new AtomicInteger();
  final DtlsTransport client;
  final DtlsTransport server;

  private DtlsPair(
      DtlsFingerprint clientExpects,
      DtlsFingerprint serverExpects,
      DtlsSettings clientSettings,
      DtlsSettings serverSettings,
      UnaryOperator<DatagramSender> clientLink,
      UnaryOperator<DatagramSender> serverLink) {
    DtlsTransport[] ends = new DtlsTransport[2];
    DatagramSender toServer =
        (b, o, l) -> {
          clientDatagrams.incrementAndGet();
          ends[1].receive(b, o, l);
        };
    DatagramSender toClient =
        (b, o, l) -> {
          serverDatagrams.incrementAndGet();
          ends[0].receive(b, o, l);
        };
    client =
        new DtlsTransport(
            DtlsRole.CLIENT,
            CLIENT_CERT,
            clientExpects,
            clientLink.apply(toServer),
            clientEvents,
            clientSettings);
    server =
        new DtlsTransport(
            DtlsRole.SERVER,
            SERVER_CERT,
            serverExpects,
            serverLink.apply(toClient),
            serverEvents,
            serverSettings);
    ends[0] = client;
    ends[1] = server;
  }

  static DtlsPair create() {
    return builder().build();
  }

  static Builder builder() {
    return new Builder();
  }

  static final class Builder {
    private DtlsFingerprint clientExpects = SERVER_CERT.sha256Fingerprint();
    private DtlsFingerprint serverExpects = CLIENT_CERT.sha256Fingerprint();
    private DtlsSettings clientSettings = FAST;
    private DtlsSettings serverSettings = FAST;
    private UnaryOperator<DatagramSender> clientLink = UnaryOperator.identity();
    private UnaryOperator<DatagramSender> serverLink = UnaryOperator.identity();

    Builder clientExpects(DtlsFingerprint f) {
      clientExpects = f;
      return this;
    }

    Builder serverExpects(DtlsFingerprint f) {
      serverExpects = f;
      return this;
    }

    Builder clientSettings(DtlsSettings s) {
      clientSettings = s;
      return this;
    }

    Builder serverSettings(DtlsSettings s) {
      serverSettings = s;
      return this;
    }

    /** Wraps what the client sends towards the server (e.g. to drop datagrams). */
    Builder clientLink(UnaryOperator<DatagramSender> l) {
      clientLink = l;
      return this;
    }

    Builder serverLink(UnaryOperator<DatagramSender> l) {
      serverLink = l;
      return this;
    }

    DtlsPair build() {
      return new DtlsPair(
          clientExpects, serverExpects, clientSettings, serverSettings, clientLink, serverLink);
    }
  }

  /** Starts the server first, as when our answer reaches the browser before its ClientHello. */
  DtlsPair start() {
    server.start();
    client.start();
    return this;
  }

  void closeBoth() {
    client.close();
    server.close();
  }

  /** A link that silently drops the first {@code n} datagrams. */
  static UnaryOperator<DatagramSender> dropFirst(int n) {
    return next -> {
      AtomicInteger seen = new AtomicInteger();
      return (b, o, l) -> {
        if (seen.incrementAndGet() > n) {
          next.send(b, o, l);
        }
      };
    };
  }
}
