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
 * A link's UDP socket: bound locally, connected to the peer node (the kernel then drops datagrams
 * from anyone else), one daemon thread blocking in {@code read}. Sends go straight to the socket
 * from the calling thread through that thread's own direct buffer: no lock of ours, no allocation
 * per datagram.
 */
public final class UdpLinkSocket implements LinkTransport {
  private static final Logger log = LoggerFactory.getLogger(UdpLinkSocket.class);

  /** Socket buffers: a burst of keyframes from several publishers must not overflow them. */
  private static final int SOCKET_BUFFER = 4 << 20;

  private final DatagramChannel channel;
  private final ThreadLocal<ByteBuffer> sendBuffers =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(LinkDatagram.MAX_DATAGRAM));
  private volatile boolean closed;
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
        int n = channel.read(in);
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
      return channel.write(out) == len;
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
