package eu.visio.loadtest.bot;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.concurrent.CompletableFuture;

/**
 * One transport of a bot: a UDP socket of its own (the server tells peers apart by address) and the
 * {@link MediaLink} over it. A bot has one, or two where the server wants separate peer connections
 * to publish and to subscribe (Janus's VideoRoom). With a {@link TurnRoute} the socket talks to the
 * TURN server instead, and every datagram of the link travels in ChannelData ({@link TurnChannel})
 * to and from the remote; the link starts once the channel is bound.
 */
final class Leg {
  private final Bot bot;
  private DatagramChannel channel;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  MediaLink link;
  private TurnChannel turn;
  private long ioErrors;

  Leg(Bot bot) {
    this.bot = bot;
  }

  Bot bot() {
    return bot;
  }

  CompletableFuture<Void> ready() {
    return ready;
  }

  boolean linkReady() {
    return link != null && link.ready();
  }

  /**
   * Opens the socket, bound to the remote's own address (a local one: loopback, or the address
   * Janus gathers on, as it never gathers on a loopback interface; the kernel carries either over
   * lo), connects it to {@code remote} and reads it on the bot's loop. Loop thread.
   */
  void start(InetSocketAddress remote, MediaLink l) {
    start(remote, l, null);
  }

  /**
   * As {@link #start(InetSocketAddress, MediaLink)}, through the TURN server of {@code route} when
   * it is not null: the socket is bound to and connected to that server's address.
   */
  void start(InetSocketAddress remote, MediaLink l, TurnRoute route) {
    InetSocketAddress to = route == null ? remote : route.server();
    try {
      channel = DatagramChannel.open(StandardProtocolFamily.INET);
      channel.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
      channel.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
      channel.bind(new InetSocketAddress(to.getAddress(), 0));
      channel.configureBlocking(false);
      channel.connect(to);
      channel.register(bot.loop().selector(), SelectionKey.OP_READ, this);
    } catch (IOException e) {
      fail("socket: " + e);
      return;
    }
    if (route != null) {
      turn = new TurnChannel(route, remote, this::sendRaw, this::fail);
    }
    link = l;
    bot.legStarted();
  }

  /**
   * Connectivity upkeep of the link, and of the TURN channel under it if any (the link waits until
   * the channel is bound); returns when to be called next. Loop thread.
   */
  long tick(long now) {
    if (turn == null) {
      return link.tick(now);
    }
    long next = turn.tick(now);
    return turn.ready() ? Math.min(next, link.tick(now)) : next;
  }

  /** The link is up: media may flow. Loop thread. */
  void linked() {
    ready.complete(null);
    bot.legLinked();
  }

  void fail(String reason) {
    ready.completeExceptionally(new IllegalStateException(bot.name() + ": " + reason));
  }

  void onReadable() {
    BotLoop loop = bot.loop();
    ByteBuffer b = loop.rxBuffer;
    try {
      while (true) {
        b.clear();
        int n = channel.read(b);
        if (n <= 0) {
          return;
        }
        long now = System.nanoTime();
        if (turn != null) {
          boolean wasReady = turn.ready();
          n = turn.onDatagram(loop.rx, n, now);
          if (n < 0) {
            if (!wasReady && turn.ready()) {
              bot.legLinked(); // tick now: the link's first check goes out
            }
            continue;
          }
        }
        link.onDatagram(loop.rx, n, now);
      }
    } catch (IOException e) {
      ioErrors++; // ICMP unreachable while the server starts or stops
    }
  }

  /**
   * Sends one datagram on the loop thread, through the loop's direct buffer: as ChannelData when
   * relayed (dropped until the channel is bound).
   */
  void sendDatagram(byte[] b, int len) {
    ByteBuffer tx = bot.loop().tx;
    tx.clear();
    if (turn == null) {
      tx.put(b, 0, len).flip();
    } else if (turn.ready()) {
      turn.wrap(tx, b, len);
      tx.flip();
    } else {
      return;
    }
    try {
      channel.write(tx);
    } catch (IOException e) {
      ioErrors++;
    }
  }

  /** Sends {@code b[0..len)} as it is: TURN's requests to the TURN server. Loop thread. */
  private void sendRaw(byte[] b, int len) {
    ByteBuffer tx = bot.loop().tx;
    tx.clear();
    tx.put(b, 0, len).flip();
    try {
      channel.write(tx);
    } catch (IOException e) {
      ioErrors++;
    }
  }

  /**
   * Sends one datagram from another thread (the DTLS handshake's): relayed, a ChannelData header
   * and the payload gathered into one datagram. The channel is bound by then (DTLS starts once a
   * check has been answered through it) and stays so, its number fixed.
   */
  void sendDatagramFromAnyThread(byte[] b, int off, int len) {
    try {
      if (turn == null) {
        channel.write(ByteBuffer.wrap(b, off, len));
      } else {
        ByteBuffer header = ByteBuffer.allocate(TurnChannel.HEADER);
        TurnChannel.putHeader(header, TurnChannel.CHANNEL, len);
        channel.write(new ByteBuffer[] {header.flip(), ByteBuffer.wrap(b, off, len)});
      }
    } catch (IOException e) {
      ioErrors++;
    }
  }

  /** Releases the link and the socket. Loop thread. */
  void close() {
    if (link != null) {
      link.close();
    }
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      ioErrors++;
    }
  }
}
