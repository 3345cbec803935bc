package eu.visio.media.transport;

import eu.visio.media.DropCounters;
import eu.visio.media.DropReason;
import eu.visio.media.dtls.DtlsCertificate;
import eu.visio.media.dtls.DtlsFingerprint;
import eu.visio.media.dtls.DtlsRole;
import eu.visio.media.ice.IceCredentials;
import eu.visio.media.ice.IceUfrags;
import eu.visio.media.net.AdoptingFront;
import eu.visio.media.net.OnLoop;
import eu.visio.media.net.Poll;
import eu.visio.media.net.TcpMediaPort;
import eu.visio.media.net.UdpMediaPort;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/** A real {@link UdpMediaPort} on 127.0.0.1 with one {@link WebRtcTransport}, as the SFU has. */
final class ServerSide implements AutoCloseable {
  static final DtlsCertificate CERT = DtlsCertificate.generate();

  final DropCounters drops = new DropCounters();
  final IceCredentials ice = IceCredentials.generate();
  final Recorder events = new Recorder();
  final UdpMediaPort port;

  /** The ICE-TCP port on the same workers, or null. */
  final TcpMediaPort tcpPort;

  /** A separate port handing its connections to {@link #tcpPort}, or null. */
  final AdoptingFront front;

  final WebRtcTransport transport;

  /** We answer the browser's actpass offer, so we are the DTLS server. */
  ServerSide(UdpMediaPort.Io io, String clientUfrag, DtlsFingerprint clientFingerprint) {
    this(io, clientUfrag, clientFingerprint, 1, 0, null);
  }

  /**
   * A port with {@code workers} workers and the transport on worker {@code transportWorker}; with a
   * {@code tcpStallLimit}, also a {@link TcpMediaPort} with that limit.
   */
  ServerSide(
      UdpMediaPort.Io io,
      String clientUfrag,
      DtlsFingerprint clientFingerprint,
      int workers,
      int transportWorker,
      Duration tcpStallLimit) {
    this(io, clientUfrag, clientFingerprint, workers, transportWorker, tcpStallLimit, false);
  }

  /**
   * As above; with {@code adopted}, ICE-TCP clients reach the port through an {@link
   * AdoptingFront}.
   */
  ServerSide(
      UdpMediaPort.Io io,
      String clientUfrag,
      DtlsFingerprint clientFingerprint,
      int workers,
      int transportWorker,
      Duration tcpStallLimit,
      boolean adopted) {
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    try {
      port = UdpMediaPort.bind(loopback, IceUfrags::localUfrag, drops, io, workers);
      tcpPort = tcpStallLimit == null ? null : TcpMediaPort.bind(port, loopback, tcpStallLimit);
      front = adopted ? new AdoptingFront(tcpPort, loopback) : null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    transport =
        new WebRtcTransport(
            "t1",
            port.worker(transportWorker),
            ice,
            clientUfrag,
            CERT,
            clientFingerprint,
            DtlsRole.SERVER,
            events);
    transport.start();
  }

  InetSocketAddress address() {
    return port.localAddress();
  }

  InetSocketAddress tcpAddress() {
    return front != null ? front.localAddress() : tcpPort.localAddress();
  }

  /** Runs {@code task} on the transport's worker. */
  <T> T onTransportLoop(java.util.function.Supplier<T> task) {
    return OnLoop.call(transport.worker(), task);
  }

  long dropped(DropReason reason) {
    return drops.count(reason);
  }

  /** Waits until {@code reason} has been counted {@code count} times in all. */
  void awaitDrops(DropReason reason, long count) {
    Poll.until(count + " x " + reason, () -> drops.count(reason) >= count);
  }

  int boundAddresses() {
    return OnLoop.boundAddressCount(port);
  }

  /** Encrypts {@code plain} on the event loop and sends it to the selected address. */
  boolean sendRtp(byte[] plain) {
    byte[] b = Arrays.copyOf(plain, plain.length + UdpMediaPort.TAIL_ROOM);
    return onTransportLoop(() -> transport.sendRtp(b, 0, plain.length));
  }

  boolean sendRtcp(byte[] plain) {
    byte[] b = Arrays.copyOf(plain, plain.length + UdpMediaPort.TAIL_ROOM);
    return onTransportLoop(() -> transport.sendRtcp(b, 0, plain.length));
  }

  @Override
  public void close() {
    transport.close("test over");
    if (front != null) {
      front.close();
    }
    if (tcpPort != null) {
      tcpPort.close();
    }
    port.close();
  }

  /** Copies what the transport delivers; called on the event loop. */
  static final class Recorder implements WebRtcTransport.Listener {
    final LinkedBlockingQueue<byte[]> rtp = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<byte[]> rtcp = new LinkedBlockingQueue<>();
    final CompletableFuture<Void> connected = new CompletableFuture<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();

    @Override
    public void onRtp(byte[] buf, int off, int len) {
      rtp.add(Arrays.copyOfRange(buf, off, off + len));
    }

    @Override
    public void onRtcp(byte[] buf, int off, int len) {
      rtcp.add(Arrays.copyOfRange(buf, off, off + len));
    }

    @Override
    public void onConnected() {
      connected.complete(null);
    }

    @Override
    public void onClosed(String reason) {
      closed.complete(reason);
    }
  }
}
