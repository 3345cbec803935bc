package eu.visio.media.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP socket for all of a node's cascade links (one port to open between nodes, one reader
 * thread, whatever the number of cascaded rooms). Each link has an id of its own on this node;
 * every datagram on the wire starts with the id the receiving node gave the link (4 bytes, in
 * clear), then the link datagram. The reader hands a datagram to the link its id names, and only if
 * it came from that link's peer; the link then authenticates it as always, so a forged or stale id
 * costs one failed AEAD check at most.
 *
 * <p>An id is a slot (low 16 bits) and the slot's generation (high 15 bits): a datagram for a
 * closed link never reaches the link that took its slot after it.
 */
public final class LinkMux implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LinkMux.class);

  /** The receiving link's id before each datagram. */
  public static final int ID_LENGTH = 4;

  /** Links one node holds at most (slot 0 unused). */
  public static final int MAX_LINKS = 0xFFFF;

  /** Socket buffers: a burst of keyframes from several publishers and rooms must fit. */
  private static final int SOCKET_BUFFER = 8 << 20;

  /** Why the mux dropped a datagram before any link saw it. */
  public enum Drop {
    /** Shorter than an id and a type byte. */
    SHORT,
    /** An id no open link has (closed, or never given). */
    UNKNOWN_LINK,
    /** From an address other than the named link's peer (or before the link knows its peer). */
    WRONG_SOURCE
  }

  private final DatagramChannel channel;
  private final InetSocketAddress local;
  private final AtomicLongArray drops = new AtomicLongArray(Drop.values().length);
  private final ThreadLocal<ByteBuffer> sendBuffers =
      ThreadLocal.withInitial(
          () -> ByteBuffer.allocateDirect(ID_LENGTH + LinkDatagram.MAX_DATAGRAM));
  private final Object lock = new Object();
  private volatile Link[] links = new Link[16]; // by slot; written under lock
  private final int[] generations = new int[MAX_LINKS + 1]; // under lock
  private volatile boolean closed;
  private final Thread reader;

  private LinkMux(DatagramChannel channel) throws IOException {
    this.channel = channel;
    this.local = (InetSocketAddress) channel.getLocalAddress();
    this.reader = Thread.ofPlatform().daemon().name("visio-relay-links").unstarted(this::read);
    reader.start();
  }

  /** A mux on {@code local} (port 0: any). */
  public static LinkMux bind(InetSocketAddress local) throws IOException {
    DatagramChannel ch = DatagramChannel.open();
    try {
      ch.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
      ch.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
      ch.bind(local);
      return new LinkMux(ch);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Where it listens (the port the other nodes send to). */
  public InetSocketAddress localAddress() {
    return local;
  }

  /** Datagrams dropped for {@code reason} since start. */
  public long drops(Drop reason) {
    return drops.get(reason.ordinal());
  }

  /** Links open now. */
  public int size() {
    int n = 0;
    for (Link l : links) {
      n += l == null ? 0 : 1;
    }
    return n;
  }

  /**
   * A new link on this socket, not yet talking to anyone: tell the peer its {@link Link#id}, then
   * {@link Link#setPeer} once the peer says where it listens and under which id.
   *
   * @throws IllegalStateException every slot is taken, or the mux is closed
   */
  public Link open() {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("link mux closed");
      }
      // The lowest free slot keeps the table small; its generation tells its links apart.
      Link[] table = links;
      for (int slot = 1; slot <= MAX_LINKS; slot++) {
        if (slot < table.length && table[slot] != null) {
          continue;
        }
        if (slot >= table.length) {
          int n = table.length;
          while (n <= slot) {
            n *= 2;
          }
          table = java.util.Arrays.copyOf(table, Math.min(MAX_LINKS + 1, n));
        }
        generations[slot] = (generations[slot] + 1) & 0x7FFF;
        Link l = new Link(slot, generations[slot] << 16 | slot);
        table[slot] = l;
        links = table;
        return l;
      }
      throw new IllegalStateException("every link slot is taken");
    }
  }

  private void remove(Link l) {
    synchronized (lock) {
      Link[] table = links;
      if (l.slot < table.length && table[l.slot] == l) {
        table[l.slot] = null;
        links = table; // publishes the change to the reader
      }
    }
  }

  private void read() {
    ByteBuffer in = ByteBuffer.allocateDirect(ID_LENGTH + LinkDatagram.MAX_DATAGRAM + 1);
    byte[] buf = new byte[ID_LENGTH + LinkDatagram.MAX_DATAGRAM + 1];
    while (!closed) {
      try {
        in.clear();
        // The JDK hands back the same address object while the sender stays the same.
        SocketAddress from = channel.receive(in);
        int n = in.position();
        if (from == null) {
          continue;
        }
        in.flip();
        in.get(buf, 0, n);
        deliver(from, buf, n);
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (closed) {
          return;
        }
      } catch (RuntimeException e) {
        log.warn("relay link receiver threw", e); // links count their own errors
      }
    }
  }

  /** Hands {@code buf[0, n)}, from {@code from}, to the link it names (or counts the drop). */
  void deliver(SocketAddress from, byte[] buf, int n) {
    if (n < ID_LENGTH + 1) {
      drops.incrementAndGet(Drop.SHORT.ordinal());
      return;
    }
    int id = (buf[0] & 0xFF) << 24 | (buf[1] & 0xFF) << 16 | (buf[2] & 0xFF) << 8 | (buf[3] & 0xFF);
    int slot = id & 0xFFFF;
    Link[] table = links;
    Link l = slot < table.length ? table[slot] : null;
    if (l == null || l.id != id) {
      drops.incrementAndGet(Drop.UNKNOWN_LINK.ordinal());
      return;
    }
    if (!from.equals(l.peer)) {
      drops.incrementAndGet(Drop.WRONG_SOURCE.ordinal());
      return;
    }
    LinkTransport.Receiver r = l.receiver;
    if (r != null) {
      r.onDatagram(buf, ID_LENGTH, n - ID_LENGTH);
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      links = new Link[1];
    }
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("closing the relay link socket", e);
    }
  }

  /** One link's transport on the shared socket. */
  public final class Link implements LinkTransport {
    private final int slot;
    private final int id;
    private volatile InetSocketAddress peer;
    private volatile int peerId;
    private volatile LinkTransport.Receiver receiver;

    private Link(int slot, int id) {
      this.slot = slot;
      this.id = id;
    }

    /** The id datagrams for this link carry: tell it to the peer. */
    public int id() {
      return id;
    }

    /**
     * The peer listens at {@code address} and knows this link as {@code peerId}: datagrams go there
     * and are accepted from there only. Any time, any thread; again when the peer moves.
     */
    public void setPeer(InetSocketAddress address, int peerId) {
      this.peerId = peerId;
      this.peer = address;
    }

    /** Where the peer listens, or null before {@link #setPeer}. */
    public InetSocketAddress peer() {
      return peer;
    }

    /** The peer's id for this link (0 before {@link #setPeer}). */
    public int peerId() {
      return peerId;
    }

    @Override
    public void start(LinkTransport.Receiver r) {
      this.receiver = r;
    }

    @Override
    public boolean send(byte[] buf, int off, int len) {
      InetSocketAddress to = peer;
      if (to == null || closed) {
        return false;
      }
      ByteBuffer out = sendBuffers.get();
      out.clear();
      out.putInt(peerId);
      out.put(buf, off, len);
      out.flip();
      try {
        return channel.send(out, to) == len + ID_LENGTH;
      } catch (IOException e) {
        return false; // closed, or the peer's host unreachable for now: counted by the caller
      }
    }

    @Override
    public void close() {
      receiver = null;
      remove(this);
    }
  }
}
