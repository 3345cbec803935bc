package eu.visio.media.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A link's UDP socket: bound locally, talking to the peer node only, one daemon thread blocking in
 * {@code read}. Either connected ({@link #open}: the kernel drops datagrams from anyone else) or
 * bound first and told its peer later, and again when the peer moves ({@link #setPeer}: datagrams
 * from any other address are ignored), for a cascade whose nodes learn each other's ports from
 * signalling and may restart. Sends go straight to the socket from the calling thread through that
 * thread's own direct buffer: no lock of ours, no allocation per datagram.
 */
public final class UdpLinkSocket implements LinkTransport {
  private static final Logger log = LoggerFactory.getLogger(UdpLinkSocket.class);

  /** Socket buffers: a burst of keyframes from several publishers must not overflow them. */
  private static final int SOCKET_BUFFER = 4 << 20;

  private final DatagramChannel channel;
  private final ThreadLocal<ByteBuffer> sendBuffers =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(LinkDatagram.MAX_DATAGRAM));
  private volatile boolean closed;
  private volatile boolean connected;
  private volatile InetSocketAddress peer;
  private Thread reader;

  private UdpLinkSocket(DatagramChannel channel) {
    this.channel = channel;
  }

  /** A socket on {@code local} (port 0: any) that talks to {@code remote} only. */
  public static UdpLinkSocket open(InetSocketAddress local, InetSocketAddress remote)
      throws IOException {
    UdpLinkSocket s = bind(local);
    try {
      s.connect(remote);
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  /**
   * A socket bound to {@code local} (port 0: any), not yet talking to anyone: its port can be told
   * to the peer before {@link #connect}.
   */
  public static UdpLinkSocket bind(InetSocketAddress local) throws IOException {
    DatagramChannel ch = DatagramChannel.open();
    try {
      ch.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
      ch.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
      ch.bind(local);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    return new UdpLinkSocket(ch);
  }

  /** Talks to {@code remote} only from now on (before {@link #start}). */
  public void connect(InetSocketAddress remote) throws IOException {
    channel.connect(remote);
    connected = true;
    peer = remote;
  }

  /**
   * Talks to {@code remote} from now on, without connecting (any time, from any thread; for a
   * socket from {@link #bind}): datagrams from elsewhere are ignored, and sends before the first
   * call fail.
   */
  public void setPeer(InetSocketAddress remote) {
    if (connected) {
      throw new IllegalStateException("a connected link socket keeps its peer");
    }
    peer = remote;
  }

  /** The peer it talks to, or null before it was told. */
  public InetSocketAddress peer() {
    return peer;
  }

  /** Where this socket is bound (to tell the peer). */
  public InetSocketAddress localAddress() throws IOException {
    return (InetSocketAddress) channel.getLocalAddress();
  }

  @Override
  public void start(Receiver receiver) {
    reader = Thread.ofPlatform().daemon().name("visio-relay-link").unstarted(() -> read(receiver));
    reader.start();
  }

  private void read(Receiver receiver) {
    ByteBuffer in = ByteBuffer.allocateDirect(LinkDatagram.MAX_DATAGRAM + 1);
    byte[] buf = new byte[LinkDatagram.MAX_DATAGRAM + 1];
    while (!closed) {
      try {
        in.clear();
        int n;
        if (connected) {
          n = channel.read(in);
        } else {
          // The JDK reuses the address object while the sender stays the same: no allocation.
          java.net.SocketAddress from = channel.receive(in);
          n = in.position();
          if (from == null || !from.equals(peer)) {
            continue;
          }
        }
        if (n <= 0) {
          continue;
        }
        in.flip();
        in.get(buf, 0, n);
        receiver.onDatagram(buf, 0, n);
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        // ICMP port unreachable (the peer not up yet) surfaces here on a connected socket.
        if (closed) {
          return;
        }
      } catch (RuntimeException e) {
        log.warn("relay link receiver threw", e); // the receiver counts its own errors
      }
    }
  }

  @Override
  public boolean send(byte[] buf, int off, int len) {
    ByteBuffer out = sendBuffers.get();
    out.clear();
    out.put(buf, off, len);
    out.flip();
    try {
      if (connected) {
        return channel.write(out) == len;
      }
      InetSocketAddress to = peer;
      return to != null && channel.send(out, to) == len;
    } catch (IOException e) {
      return false; // the peer's port unreachable for now, or closed: counted by the caller
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("closing relay link socket", e);
    }
  }
}
