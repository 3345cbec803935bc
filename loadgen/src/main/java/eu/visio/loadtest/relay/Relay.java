package eu.visio.loadtest.relay;

import eu.visio.media.DropCounters;
import eu.visio.media.net.MediaWorker;
import eu.visio.media.net.UdpMediaPort;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * The bare relay: the physical floor of forwarding on this machine. Plain RTP in, one copy out to
 * each subscriber that wants it: no ICE, DTLS, SRTP, no rewriting, no feedback. It runs on the
 * server's own UDP port class ({@link UdpMediaPort}: epoll, recvmmsg and sendmmsg batches,
 * SO_REUSEPORT sockets, routing by source address) so that the difference to the SFU is the
 * protocol and forwarding work alone, not the I/O.
 *
 * <p>A bot's {@link RelayHello} (routed like a first ICE check by its "ufrag") makes it a {@link
 * Member}, an endpoint bound to its address; a publisher's packets then reach its member directly,
 * which sends audio (SSRC low bits 3) to every other subscriber and video layer {@code ssrc & 3} to
 * the subscribers that asked for that layer. Everything lives on worker 0, as one room does in the
 * server.
 */
public final class Relay implements AutoCloseable {
  static final String UFRAG = "relay";

  private final UdpMediaPort port;
  private final MediaWorker worker;
  private Member[] subscribers = new Member[0];

  private Relay(UdpMediaPort port) {
    this.port = port;
    this.worker = port.worker(0);
    port.registerUfrag(UFRAG, this::onHello);
  }

  /** Binds the relay on {@code address} with {@code workers} media workers. */
  public static Relay start(InetSocketAddress address, int workers) throws InterruptedException {
    UdpMediaPort port =
        UdpMediaPort.bind(
            address,
            (b, off, len) -> RelayHello.isRequest(b, off, len) ? UFRAG : null,
            new DropCounters(),
            UdpMediaPort.Io.configured(),
            workers);
    return new Relay(port);
  }

  public InetSocketAddress localAddress() {
    return port.localAddress();
  }

  private void onHello(byte[] b, int off, int len, InetSocketAddress remote) {
    if (!RelayHello.isRequest(b, off, len)) {
      return;
    }
    Member m =
        new Member(
            remote,
            RelayHello.publishes(b, off),
            RelayHello.subscribes(b, off),
            RelayHello.layer(b, off));
    worker.bindRemote(remote, m);
    // An address says hello again as someone else when a port is reused (the readiness probe's).
    Member[] s =
        Arrays.stream(subscribers).filter(o -> !o.address.equals(remote)).toArray(Member[]::new);
    if (m.subscribes) {
      s = Arrays.copyOf(s, s.length + 1);
      s[s.length - 1] = m;
    }
    subscribers = s;
    RelayHello.toAck(b, off);
    worker.send(b, off, len, remote);
  }

  /** One bot: where it is, what it wants. */
  private final class Member implements UdpMediaPort.Endpoint {
    final InetSocketAddress address;
    final boolean publishes;
    final boolean subscribes;
    final int layer;

    Member(InetSocketAddress address, boolean publishes, boolean subscribes, int layer) {
      this.address = address;
      this.publishes = publishes;
      this.subscribes = subscribes;
      this.layer = layer;
    }

    @Override
    @SuppressWarnings("ReferenceEquality") // members are compared by identity
    public void onDatagram(byte[] b, int off, int len, InetSocketAddress remote) {
      if (RelayHello.isRequest(b, off, len)) {
        onHello(b, off, len, remote); // a repeated hello (our ack was lost), or a new bot
        return;
      }
      if (!publishes || len < 12 || (b[off] & 0xC0) != 0x80) {
        return;
      }
      int pt = b[off + 1] & 0x7F;
      if (pt >= 64 && pt < 96) {
        return; // RTCP (RFC 5761 §4): nobody here reads it
      }
      int streamLayer = b[off + 11] & 3;
      for (Member s : subscribers) {
        if (s != this && (streamLayer == 3 || streamLayer == s.layer)) {
          worker.send(b, off, len, s.address);
        }
      }
    }
  }

  @Override
  public void close() {
    port.close();
  }
}
