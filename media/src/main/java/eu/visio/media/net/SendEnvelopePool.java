package eu.visio.media.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.IllegalReferenceCountException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The datagrams a {@link MediaWorker} sends on its own loop, reused instead of allocated: each
 * {@link Envelope} owns a direct buffer of {@link UdpMediaPort#MAX_DATAGRAM} bytes that is refilled
 * per send. Netty releases a written message once the socket took it (or the channel failed it),
 * which returns the envelope here.
 *
 * <p>Single-threaded, no locks: envelopes are taken and written only on the worker's loop, and the
 * channel's outbound buffer, which releases them, runs on that same loop. The pool grows on demand
 * up to {@code capacity} envelopes in flight (a fan-out burst waiting for its flush, or a socket
 * backed up); beyond that {@link #take} returns null and the caller falls back to an allocated
 * datagram, so a stalled socket costs memory as before but never blocks or drops here.
 *
 * <p>An envelope is a {@link DatagramPacket} because Netty's epoll transport batches only those
 * into one sendmmsg; its content is direct, so neither transport copies or wraps it.
 */
final class SendEnvelopePool {
  private final Envelope[] free;
  private int freeCount;
  private int created;
  private long exhausted;

  SendEnvelopePool(int capacity) {
    this.free = new Envelope[capacity];
  }

  /**
   * An envelope holding a copy of {@code buf[off, off + len)} addressed to {@code remote}, with a
   * reference count of 1, or null if {@code capacity} envelopes are all in flight.
   */
  Envelope take(byte[] buf, int off, int len, InetSocketAddress remote) {
    Envelope e;
    if (freeCount > 0) {
      e = free[--freeCount];
      free[freeCount] = null;
    } else if (created < free.length) {
      e = new Envelope(this, remote);
      created++;
    } else {
      exhausted++;
      return null;
    }
    e.fill(buf, off, len, remote);
    return e;
  }

  private void recycle(Envelope e) {
    free[freeCount++] = e;
  }

  /** Envelopes created so far (the most ever in flight at once, up to the capacity). */
  int created() {
    return created;
  }

  /** Envelopes back in the pool, ready for the next send. */
  int idle() {
    return freeCount;
  }

  /** Sends that found every envelope in flight and fell back to an allocated datagram. */
  long exhausted() {
    return exhausted;
  }

  /**
   * One reusable datagram. The reference count is the envelope's own (the buffer is never released:
   * it lives as long as the pool and is freed with it by the garbage collector), and reaching zero
   * puts the envelope back in its pool.
   */
  static final class Envelope extends DatagramPacket {
    private final SendEnvelopePool pool;
    private final ByteBuffer bytes;
    private InetSocketAddress recipient;
    private int refCnt;

    private Envelope(SendEnvelopePool pool, InetSocketAddress first) {
      this(pool, ByteBuffer.allocateDirect(UdpMediaPort.MAX_DATAGRAM), first);
    }

    private Envelope(SendEnvelopePool pool, ByteBuffer bytes, InetSocketAddress first) {
      super(Unpooled.wrappedBuffer(bytes), first);
      this.pool = pool;
      this.bytes = bytes;
    }

    private void fill(byte[] buf, int off, int len, InetSocketAddress remote) {
      // An absolute bulk put: no view buffer, no bounds object; the ByteBuf's indexes frame it.
      bytes.put(0, buf, off, len);
      content().setIndex(0, len);
      recipient = remote;
      refCnt = 1;
    }

    @Override
    public InetSocketAddress recipient() {
      return recipient;
    }

    @Override
    public int refCnt() {
      return refCnt;
    }

    @Override
    public DatagramPacket retain() {
      return retain(1);
    }

    @Override
    public DatagramPacket retain(int increment) {
      if (refCnt <= 0) {
        throw new IllegalReferenceCountException(refCnt, increment);
      }
      refCnt += increment;
      return this;
    }

    @Override
    public boolean release() {
      return release(1);
    }

    @Override
    public boolean release(int decrement) {
      if (decrement <= 0 || refCnt < decrement) {
        throw new IllegalReferenceCountException(refCnt, -decrement);
      }
      refCnt -= decrement;
      if (refCnt > 0) {
        return false;
      }
      pool.recycle(this);
      return true;
    }

    @Override
    public DatagramPacket touch() {
      return this;
    }

    @Override
    public DatagramPacket touch(Object hint) {
      return this;
    }

    /** The buffer, for tests: the same object for the envelope's whole life. */
    ByteBuf buffer() {
      return content();
    }
  }
}
