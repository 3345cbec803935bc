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
 * to publish and to subscribe (Janus's VideoRoom).
 */
final class Leg {
  private final Bot bot;
  private DatagramChannel channel;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  MediaLink link;
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
    try {
      channel = DatagramChannel.open(StandardProtocolFamily.INET);
      channel.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
      channel.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
      channel.bind(new InetSocketAddress(remote.getAddress(), 0));
      channel.configureBlocking(false);
      channel.connect(remote);
      channel.register(bot.loop().selector(), SelectionKey.OP_READ, this);
    } catch (IOException e) {
      fail("socket: " + e);
      return;
    }
    link = l;
    bot.legStarted();
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
        link.onDatagram(loop.rx, n, System.nanoTime());
      }
    } catch (IOException e) {
      ioErrors++; // ICMP unreachable while the server starts or stops
    }
  }

  /** Sends one datagram on the loop thread, through the loop's direct buffer. */
  void sendDatagram(byte[] b, int len) {
    ByteBuffer tx = bot.loop().tx;
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
