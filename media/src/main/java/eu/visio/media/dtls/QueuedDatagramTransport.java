package eu.visio.media.dtls;

import eu.visio.media.net.DatagramSender;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DatagramTransport;

/**
 * Adapts our push model to bctls' pull model: the packet I/O thread {@link #offer}s datagrams into
 * a bounded queue, and bctls' handshake/reader thread polls it through {@link #receive}.
 *
 * <p>Retransmission works unchanged: bctls passes its retransmit deadline as {@code waitMillis}, we
 * poll the queue for at most that long and return -1 ("timed out", as {@code
 * DTLSRecordLayer.receiveDatagram} expects), and bctls resends its last flight.
 */
final class QueuedDatagramTransport implements DatagramTransport {
  /**
   * Largest datagram we accept: above an Ethernet MTU with margin. A peer's DTLS record must fit
   * its path MTU (RFC 6347 §4.1.1.1), so nothing legal is larger.
   */
  static final int MAX_DATAGRAM = 1500;

  /**
   * Headroom we add to the receive limit we report: bctls subtracts the cipher's expansion from it
   * before sizing its read buffer, and a {@link #MAX_DATAGRAM} datagram must still fit.
   */
  private static final int CIPHER_HEADROOM = 64;

  /**
   * Wakes a blocked poll on close. Any empty datagram is skipped (it carries no record), so this
   * needs no identity check.
   */
  private static final byte[] WAKE = new byte[0];

  /** Result of {@link #offer}. */
  enum Offer {
    QUEUED,
    FULL,
    TOO_LARGE,
    CLOSED
  }

  private final BlockingQueue<byte[]> inbound;
  private final DatagramSender sender;
  private final int mtu;
  private volatile boolean closed;

  QueuedDatagramTransport(DatagramSender sender, int mtu, int capacity) {
    this.sender = sender;
    this.mtu = mtu;
    this.inbound = new ArrayBlockingQueue<>(capacity);
  }

  /** Called on the packet I/O thread: copies the datagram, never blocks. */
  Offer offer(byte[] buf, int off, int len) {
    if (closed) {
      return Offer.CLOSED;
    }
    if (len > MAX_DATAGRAM) {
      return Offer.TOO_LARGE;
    }
    byte[] copy = new byte[len];
    System.arraycopy(buf, off, copy, 0, len);
    return inbound.offer(copy) ? Offer.QUEUED : Offer.FULL;
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public int getReceiveLimit() {
    return MAX_DATAGRAM + CIPHER_HEADROOM;
  }

  @Override
  public int getSendLimit() {
    return mtu;
  }

  /**
   * Blocks up to {@code waitMillis} (0 means no limit, like a socket timeout of 0). Returns the
   * datagram length, or -1 on timeout. Throws once closed, so that bctls' read loop stops at once
   * instead of spinning until its wait expires.
   */
  @Override
  public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
    while (true) {
      if (closed) {
        throw new IOException("DTLS transport closed");
      }
      byte[] datagram;
      try {
        datagram =
            waitMillis > 0 ? inbound.poll(waitMillis, TimeUnit.MILLISECONDS) : inbound.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted");
      }
      if (datagram == null) {
        return -1;
      }
      if (datagram.length == 0 || closed) {
        continue; // the loop head throws if closed
      }
      if (datagram.length > len) {
        // Only possible if bctls' buffer is smaller than our limit; treat it as lost.
        return -1;
      }
      System.arraycopy(datagram, 0, buf, off, datagram.length);
      return datagram.length;
    }
  }

  /**
   * Sends via the peer connection's socket; dropped once closed (bctls sends close_notify first).
   */
  @Override
  public void send(byte[] buf, int off, int len) throws IOException {
    if (closed) {
      return;
    }
    try {
      sender.send(buf, off, len);
    } catch (RuntimeException e) {
      throw new IOException("datagram send failed", e);
    }
  }

  /** Idempotent; wakes a blocked {@link #receive}. Called by bctls and by {@link DtlsTransport}. */
  @Override
  public void close() {
    closed = true;
    // If the queue is full the reader is not blocked and sees the flag on its next call.
    inbound.offer(WAKE);
  }
}
