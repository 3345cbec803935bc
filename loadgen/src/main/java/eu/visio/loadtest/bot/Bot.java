package eu.visio.loadtest.bot;

import eu.visio.media.dtls.DtlsCertificate;
import eu.visio.media.rtcp.RtcpCompoundIterator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;

/**
 * One simulated participant: a UDP socket of its own (the server tells peers apart by address), a
 * {@link MediaLink} to the server, and a {@link Publisher} and/or a {@link Receiver}. Signalling
 * (LiveKit's WebSocket, or the relay's hello) happens elsewhere and hands the bot what it learnt
 * through the public methods, which may be called from any thread.
 */
public final class Bot implements PacketOut {
  private final BotLoop loop;
  private final String name;
  private final int publisherIndex;
  private final DatagramChannel channel;
  private final byte[] out = new byte[1600];
  private final RtcpCompoundIterator rtcp = new RtcpCompoundIterator();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  final Publisher publisher;
  final Receiver receiver;
  private MediaLink link;
  private long ioErrors;
  long nextDue = Long.MAX_VALUE;

  /**
   * @param publisherIndex this bot's index among publishers (in its stamps), or -1
   * @param media what it publishes, or null for a subscriber only
   * @param subscribes whether it receives
   * @param feedback whether it answers with RTCP (not to the relay)
   */
  public Bot(
      BotLoop loop,
      String name,
      int publisherIndex,
      MediaConfig media,
      boolean subscribes,
      boolean feedback) {
    this.loop = loop;
    this.name = name;
    this.publisherIndex = publisherIndex;
    this.publisher =
        media == null
            ? null
            : new Publisher(publisherIndex, media, this, Publisher.ssrcBase(publisherIndex));
    this.receiver = subscribes ? new Receiver(this, feedback, loop) : null;
    try {
      channel = DatagramChannel.open(StandardProtocolFamily.INET);
      channel.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
      channel.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
      channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      channel.configureBlocking(false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String name() {
    return name;
  }

  public int publisherIndex() {
    return publisherIndex;
  }

  public InetSocketAddress localAddress() {
    try {
      return (InetSocketAddress) channel.getLocalAddress();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  BotLoop loop() {
    return loop;
  }

  /** Completes when media flows both ways, or fails with the reason. */
  public CompletableFuture<Void> ready() {
    return ready;
  }

  /** Connects over WebRTC to {@code remote} with this bot's ICE credentials and certificate. */
  public void startWebRtc(
      RemoteMedia remote, String localUfrag, String localPwd, DtlsCertificate certificate) {
    loop.execute(
        () ->
            start(
                remote.address(), new WebRtcLink(this, remote, localUfrag, localPwd, certificate)));
  }

  /** Connects in plain RTP to the bare relay, asking it for video layer {@code layer}. */
  public void startPlain(InetSocketAddress relay, int layer) {
    loop.execute(() -> start(relay, new PlainLink(this, publisherIndex, receiver != null, layer)));
  }

  private void start(InetSocketAddress remote, MediaLink l) {
    try {
      channel.connect(remote);
      channel.register(loop.selector(), SelectionKey.OP_READ, this);
    } catch (IOException e) {
      fail("socket: " + e);
      return;
    }
    link = l;
    loop.add(this);
    nextDue = System.nanoTime();
  }

  /** Switches one of its simulcast layers on or off (the server's dynacast request). */
  public void setLayerEnabled(int layer, boolean enabled) {
    if (publisher != null) {
      loop.execute(() -> publisher.setLayerEnabled(layer, enabled));
    }
  }

  /** Tells the receiver that {@code rtxSsrc} repairs {@code mediaSsrc}. */
  public void addRtx(int mediaSsrc, int rtxSsrc) {
    if (receiver != null) {
      loop.execute(() -> receiver.addRtx(mediaSsrc, rtxSsrc));
    }
  }

  void linkReady() {
    ready.complete(null);
    nextDue = System.nanoTime();
  }

  void fail(String reason) {
    ready.completeExceptionally(new IllegalStateException(name + ": " + reason));
  }

  long tick(long now) {
    if (link == null) {
      return Long.MAX_VALUE;
    }
    long next = link.tick(now);
    if (link.ready()) {
      if (publisher != null) {
        next = Math.min(next, publisher.tick(now));
      }
      if (receiver != null) {
        next = Math.min(next, receiver.tick(now));
      }
    }
    return next;
  }

  void onReadable() {
    ByteBuffer b = loop.rxBuffer;
    try {
      while (true) {
        b.clear();
        int n = channel.read(b);
        if (n <= 0) {
          return;
        }
        link.onDatagram(loop.rx, n, System.nanoTime());
      }
    } catch (IOException e) {
      ioErrors++; // ICMP unreachable while the server starts or stops
    }
  }

  void onRtp(byte[] b, int off, int len, long now) {
    if (receiver != null) {
      receiver.onRtp(b, off, len, now);
    }
  }

  void onRtcp(byte[] b, int off, int len, long now) {
    if (publisher != null) {
      publisher.onRtcp(rtcp, b, off, len);
    }
    if (receiver != null) {
      receiver.onRtcp(b, off, len, now);
    }
  }

  /** Sends one datagram on the loop thread, through the loop's direct buffer. */
  void sendDatagram(byte[] b, int len) {
    ByteBuffer tx = loop.tx;
    tx.clear();
    tx.put(b, 0, len).flip();
    try {
      channel.write(tx);
    } catch (IOException e) {
      ioErrors++;
    }
  }

  /** Sends one datagram from another thread (the DTLS handshake's). */
  void sendDatagramFromAnyThread(byte[] b, int off, int len) {
    try {
      channel.write(ByteBuffer.wrap(b, off, len));
    } catch (IOException e) {
      ioErrors++;
    }
  }

  @Override
  public byte[] buffer() {
    return out;
  }

  @Override
  public void sendRtp(int len) {
    link.sendRtp(out, len);
  }

  @Override
  public void sendRtcp(int len) {
    link.sendRtcp(out, len);
  }

  void startWindow() {
    if (receiver != null) {
      receiver.startWindow();
    }
  }

  /** What it received: see {@link Receiver#addWindow}. Loop thread only. */
  void addWindow(long[] totals) {
    if (receiver != null) {
      receiver.addWindow(totals);
    }
  }

  /** Publishers whose audio arrived here (a copy, safe to read from any thread once returned). */
  public CompletableFuture<BitSet[]> heardFrom() {
    return loop.call(
        () ->
            receiver == null
                ? new BitSet[] {new BitSet(), new BitSet()}
                : new BitSet[] {
                  (BitSet) receiver.audioFrom.clone(), (BitSet) receiver.videoFrom.clone()
                });
  }

  /** Stops and releases the bot (on its loop). */
  public CompletableFuture<Void> close() {
    return loop.call(
        () -> {
          loop.remove(this);
          if (link != null) {
            link.close();
          }
          try {
            channel.close();
          } catch (IOException e) {
            ioErrors++;
          }
          return null;
        });
  }
}
