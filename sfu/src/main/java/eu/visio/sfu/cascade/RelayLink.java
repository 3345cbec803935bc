package eu.visio.sfu.cascade;

import eu.visio.media.net.HandoffRing;
import eu.visio.media.relay.LinkDatagram;
import eu.visio.media.relay.LinkDropReason;
import eu.visio.media.relay.LinkDrops;
import eu.visio.media.relay.LinkHandshake;
import eu.visio.media.relay.LinkHeader;
import eu.visio.media.relay.LinkKeys;
import eu.visio.media.relay.LinkOpeners;
import eu.visio.media.relay.LinkParseException;
import eu.visio.media.relay.LinkSealer;
import eu.visio.media.relay.LinkTransport;
import eu.visio.media.relay.RekeyPolicy;
import eu.visio.media.relay.UdpLinkSocket;
import eu.visio.sfu.PublishedTrack;
import eu.visio.sfu.Room;
import eu.visio.sfu.TrackInfo;
import eu.visio.sfu.TrackSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media half of a cascade link between this node and one other, for one room (see the package
 * comment). Server code opens one per (room, peer node), tells it what to {@linkplain #export
 * export} and {@linkplain #importTrack import} as signalling learns of tracks, and calls {@link
 * #tick} from the room's tick.
 *
 * <p>Re-keying: {@link #tick} starts a fresh exchange once the keys we send under are {@link
 * RekeyPolicy#intervalNanos} old or have sealed {@link RekeyPolicy#packets} datagrams; hellos carry
 * it (resent every {@link #HELLO_INTERVAL_NANOS} until the peer answers), the receive thread opens
 * the new key as soon as it is derived and the old one for the policy's grace, and the worker seals
 * under the new key once the peer has confirmed it. Media never pauses.
 *
 * <p>Threading: {@link #open} and {@link #close} from any thread; {@link #export}, {@link
 * #importTrack}, their removal and {@link #tick} on the room's worker; counters from any thread.
 */
public final class RelayLink {
  private static final Logger log = LoggerFactory.getLogger(RelayLink.class);

  /** Datagrams in flight from the receive thread to the worker: about a second of HD video. */
  static final int CAPACITY = 1024;

  /** How often a hello is sent again until the peer confirms it has ours. */
  static final long HELLO_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  /**
   * How often a confirmed link says hello again (the peer takes it as a repeat): a link with no
   * media on it still shows it is alive, so that a silent one means a broken path.
   */
  static final long KEEPALIVE_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** The most channels one link carries (16 bits on the wire, 0 unused). */
  public static final int MAX_CHANNELS = 0xFFFF;

  private final Room room;
  private final Executor worker;
  private final LinkTransport transport;
  private final LinkHandshake handshake;
  private final LongSupplier nanoClock;
  private final LongSupplier wallMillis;
  private final RekeyPolicy rekey;
  private final LinkDrops drops = new LinkDrops();
  private final AtomicLongArray sent = new AtomicLongArray(4);
  private final AtomicLongArray received = new AtomicLongArray(4);
  private final HandoffRing<Void> ring =
      new HandoffRing<>(CAPACITY, LinkHeader.LENGTH + LinkDatagram.MAX_PACKET);
  private final AtomicBoolean drainPosted = new AtomicBoolean();
  private final Runnable drainTask = this::drain;
  private final HandoffRing.Consumer<Void> deliver = this::deliver;
  private volatile boolean closed;
  // Set by the receive thread on anything authenticated; taken by the worker's tick.
  private volatile boolean heard;

  // Receive thread only.
  private final LinkOpeners openers;
  private final byte[] receiveHello = new byte[256];

  // Worker only.
  private LinkKeys sealerKeys;
  private LinkSealer sealer;
  private LinkKeys timedKeys;
  private long timedSinceNanos;
  private final byte[] out = new byte[LinkDatagram.MAX_DATAGRAM + 16];
  private final byte[] workerHello = new byte[256];
  private final LinkHeader header = new LinkHeader();
  private long lastHelloNanos = Long.MIN_VALUE / 2;
  private long lastHeardNanos;
  private long deliverNanos;
  private int nextChannel = 1;
  private final ChannelTable<LinkSender> exports = new ChannelTable<>();
  private final ChannelTable<LinkReceiver> imports = new ChannelTable<>();
  private final LinkFeedback feedback = new LinkFeedback(this);

  private RelayLink(
      Room room,
      Executor worker,
      LinkTransport transport,
      LinkHandshake handshake,
      LongSupplier nanoClock,
      LongSupplier wallMillis,
      RekeyPolicy rekey) {
    this.room = room;
    this.worker = worker;
    this.transport = transport;
    this.handshake = handshake;
    this.nanoClock = nanoClock;
    this.wallMillis = wallMillis;
    this.rekey = rekey;
    this.openers = rekey.openers();
    this.lastHeardNanos = nanoClock.getAsLong();
  }

  /**
   * A link for {@code room} (owned by {@code worker}) over a UDP socket bound to {@code local} and
   * talking to {@code remote} only; the handshake starts at once.
   *
   * @param clusterSecret the secret all nodes share (at least 32 bytes); hellos are MACed with it
   */
  public static RelayLink open(
      Room room,
      Executor worker,
      InetSocketAddress local,
      InetSocketAddress remote,
      String localNode,
      String remoteNode,
      byte[] clusterSecret)
      throws IOException {
    UdpLinkSocket socket = UdpLinkSocket.open(local, remote);
    try {
      return open(
          room,
          worker,
          socket,
          new LinkHandshake(localNode, remoteNode, clusterSecret, new SecureRandom()),
          System::nanoTime,
          System::currentTimeMillis);
    } catch (RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** A link over any transport, with the clocks given (tests, and other sockets). */
  public static RelayLink open(
      Room room,
      Executor worker,
      LinkTransport transport,
      LinkHandshake handshake,
      LongSupplier nanoClock,
      LongSupplier wallMillis) {
    return open(room, worker, transport, handshake, nanoClock, wallMillis, RekeyPolicy.DEFAULT);
  }

  /** A link over any transport, with the clocks and the re-key policy given. */
  public static RelayLink open(
      Room room,
      Executor worker,
      LinkTransport transport,
      LinkHandshake handshake,
      LongSupplier nanoClock,
      LongSupplier wallMillis,
      RekeyPolicy rekey) {
    RelayLink link =
        new RelayLink(room, worker, transport, handshake, nanoClock, wallMillis, rekey);
    transport.start(link::onDatagram);
    worker.execute(() -> link.tick(nanoClock.getAsLong()));
    return link;
  }

  /** Stops the link: exports detach, imported mirrors are unpublished, the socket closes. */
  public void close() {
    closed = true;
    transport.close();
    worker.execute(this::closeOnWorker);
  }

  /** True once both ends hold the same keys (the peer echoed our hello): DATA flows. */
  public boolean established() {
    return handshake.confirmed();
  }

  /** The epoch of the keys this node seals under, or -1 before the link is established. */
  public int sendEpoch() {
    LinkKeys k = handshake.sendKeys();
    return k == null ? -1 : k.epoch();
  }

  /** Counted drops of this link, by reason. */
  public LinkDrops drops() {
    return drops;
  }

  /** DATA datagrams sent, by {@link LinkHeader} kind (RTP, sender report, NACK, PLI). */
  public long sent(int kind) {
    return sent.get(kind);
  }

  /** DATA datagrams received and authenticated, by kind. */
  public long received(int kind) {
    return received.get(kind);
  }

  /** Datagrams refused because the worker fell behind the receive thread. */
  public long refused() {
    return ring.refused();
  }

  // ---- worker: what signalling drives

  /**
   * Starts sending {@code track} to the peer; returns its channel, which signalling tells the peer
   * together with the track's description (for {@link #importTrack} there).
   */
  public int export(PublishedTrack track) {
    while (nextChannel <= MAX_CHANNELS && sender(nextChannel) != null) {
      nextChannel++;
    }
    if (nextChannel > MAX_CHANNELS) {
      throw new IllegalStateException("link out of channels");
    }
    int channel = nextChannel++;
    export(track, channel);
    return channel;
  }

  /**
   * Starts sending {@code track} to the peer on {@code channel}, chosen by the caller (a node that
   * numbers its tracks once for all its links); a track already on that channel stops first. Until
   * the peer says which layers its subscribers need ({@link #wantLayers}), every layer is held.
   */
  public void export(PublishedTrack track, int channel) {
    if (channel <= 0 || channel > MAX_CHANNELS) {
      throw new IllegalArgumentException("channel " + channel);
    }
    unexport(channel);
    LinkSender s = new LinkSender(this, track, channel);
    exports.put(channel, s);
    track.addOutlet(s);
    track.holdLayers(s, Integer.MAX_VALUE);
    log.debug("room={} track={} exported on channel {}", room.id(), track.id(), channel);
  }

  /**
   * The peer's subscribers of {@code channel} need spatial layers up to {@code maxSpatial} ({@code
   * -1}: none): the origin's dynacast counts the link as one subscriber wanting that much, and a
   * video track wanted not at all stays off the link.
   */
  public void wantLayers(int channel, int maxSpatial) {
    LinkSender s = sender(channel);
    if (s != null) {
      s.track().holdLayers(s, maxSpatial);
      boolean unwanted = maxSpatial < 0 && s.track().info().kind() == eu.visio.sfu.TrackKind.VIDEO;
      if (unwanted != s.unwanted()) {
        s.setUnwanted(unwanted);
        log.debug(
            "room={} track={} channel {} {} on the link",
            room.id(),
            s.track().id(),
            channel,
            unwanted ? "paused: nobody there needs it" : "resumed");
      }
    }
  }

  /** Stops sending the track of {@code channel}. */
  public void unexport(int channel) {
    LinkSender s = sender(channel);
    if (s != null) {
      s.track().removeOutlet(s);
      s.track().releaseLayers(s);
      exports.put(channel, null);
    }
  }

  /**
   * Publishes what the peer sends on {@code channel} in this room: {@code trackId} of {@code
   * publisherId}, as described by {@code info} (the publisher's description, as the origin has it).
   *
   * @return the mirror local subscribers subscribe to
   */
  public PublishedTrack importTrack(
      int channel, String publisherId, String trackId, TrackInfo info, TrackSource source) {
    if (channel <= 0 || channel > MAX_CHANNELS) {
      throw new IllegalArgumentException("channel " + channel);
    }
    if (info.encodings() > LinkHeader.MAX_ENCODINGS) {
      throw new IllegalArgumentException("more encodings than a link carries");
    }
    removeImport(channel);
    LinkReceiver r =
        LinkReceiver.create(room, feedback, channel, publisherId, trackId, info, source);
    imports.put(channel, r);
    return r.mirror();
  }

  /** Unpublishes the mirror of {@code channel}. */
  public void removeImport(int channel) {
    LinkReceiver r = receiver(channel);
    if (r != null) {
      imports.put(channel, null);
      r.remove(room);
    }
  }

  /** The mirror of an imported channel, or null. */
  public PublishedTrack mirror(int channel) {
    LinkReceiver r = receiver(channel);
    return r == null ? null : r.mirror();
  }

  /** The receiver of an imported channel, or null (worker only). */
  public LinkReceiver receiverOf(int channel) {
    return receiver(channel);
  }

  /** The sender of an exported channel, or null (worker only). */
  public LinkSender senderOf(int channel) {
    return sender(channel);
  }

  /**
   * How long nothing authenticated came from the peer (worker): a link whose path broke, or whose
   * handshake never completed (UDP blocked between the nodes), grows silent; a live one hears at
   * least a hello a second.
   */
  public long silentNanos(long nowNanos) {
    if (heard) {
      heard = false;
      lastHeardNanos = nowNanos;
    }
    return nowNanos - lastHeardNanos;
  }

  /**
   * Starts a re-key when the keys we seal under are due (see the class comment); resends our hello
   * while the peer has not confirmed our current epoch, and every {@link #KEEPALIVE_NANOS} once it
   * has. Call from the room's tick.
   */
  public void tick(long nowNanos) {
    if (closed) {
      return;
    }
    LinkKeys k = handshake.sendKeys();
    if (k != timedKeys) {
      timedKeys = k;
      timedSinceNanos = nowNanos;
    }
    boolean due =
        k != null
            && (nowNanos - timedSinceNanos >= rekey.intervalNanos()
                || (sealerKeys == k && sealer.sequence() >= rekey.packets()));
    if (due && handshake.startRekey()) {
      log.debug("room={} relay link re-keying to epoch {}", room.id(), handshake.epoch());
      lastHelloNanos = nowNanos - KEEPALIVE_NANOS; // our share of the new epoch goes at once
    }
    long interval = handshake.settled() ? KEEPALIVE_NANOS : HELLO_INTERVAL_NANOS;
    if (nowNanos - lastHelloNanos < interval) {
      return;
    }
    lastHelloNanos = nowNanos;
    int n = handshake.writeHello(workerHello, 0, wallMillis.getAsLong());
    if (!transport.send(workerHello, 0, n)) {
      drops.drop(LinkDropReason.SEND_FAILED);
    }
  }

  private void closeOnWorker() {
    for (int ch = 1; ch < exports.capacity(); ch++) {
      unexport(ch);
    }
    for (int ch = 1; ch < imports.capacity(); ch++) {
      removeImport(ch);
    }
  }

  private LinkSender sender(int channel) {
    return exports.get(channel);
  }

  private LinkReceiver receiver(int channel) {
    return imports.get(channel);
  }

  // ---- worker: sending

  /** Seals {@code buf[off, +len)} behind a link header and sends it (worker only). */
  boolean send(int kind, int encoding, int channel, byte[] buf, int off, int len) {
    if (len > LinkDatagram.MAX_PACKET) {
      drops.drop(LinkDropReason.SEND_TOO_LARGE);
      return false;
    }
    LinkKeys k = handshake.sendKeys();
    if (k == null || closed) {
      drops.drop(LinkDropReason.SEND_NOT_ESTABLISHED);
      return false;
    }
    if (k != sealerKeys) {
      // First keys, a re-key the peer confirmed, or the peer restarted: a new sealer, sequence
      // from 0, and the old one's state zeroed.
      if (sealer != null) {
        sealer.destroy();
      }
      sealerKeys = k;
      sealer = k.sealer();
    }
    int p = LinkDatagram.DATA_HEADER;
    LinkHeader.write(out, p, kind, encoding, channel);
    System.arraycopy(buf, off, out, p + LinkHeader.LENGTH, len);
    int n = sealer.seal(out, 0, LinkHeader.LENGTH + len);
    if (n < 0) {
      drops.drop(LinkDropReason.SEND_NOT_ESTABLISHED); // a re-key overdue: never past the bound
      return false;
    }
    if (!transport.send(out, 0, n)) {
      drops.drop(LinkDropReason.SEND_FAILED);
      return false;
    }
    sent.lazySet(kind, sent.get(kind) + 1); // only the worker writes
    return true;
  }

  long nowNanos() {
    return nanoClock.getAsLong();
  }

  // ---- receive thread

  private void onDatagram(byte[] buf, int off, int len) {
    try {
      if (len < 1) {
        drops.drop(LinkDropReason.UNKNOWN_TYPE);
        return;
      }
      switch (buf[off] & 0xFF) {
        case LinkDatagram.TYPE_DATA -> onData(buf, off, len);
        case LinkDatagram.TYPE_HELLO -> onHello(buf, off, len);
        default -> drops.drop(LinkDropReason.UNKNOWN_TYPE);
      }
    } catch (RuntimeException e) {
      drops.drop(LinkDropReason.INTERNAL_ERROR);
      log.warn("relay link datagram handling threw", e);
    }
  }

  private void onHello(byte[] buf, int off, int len) {
    LinkHandshake.Outcome o = handshake.onHello(buf, off, len, wallMillis.getAsLong());
    if (o.drop() != null) {
      drops.drop(o.drop());
      return;
    }
    if (!heard) {
      heard = true;
    }
    LinkKeys k = handshake.keys();
    if (o == LinkHandshake.Outcome.NEW_KEYS || o == LinkHandshake.Outcome.REKEYED) {
      log.debug("room={} relay link keyed, epoch {}", room.id(), k.epoch());
    }
    long now = nanoClock.getAsLong();
    openers.update(k, now);
    openers.expire(now); // the previous key goes even when no DATA comes
    if (handshake.replyDue() && !closed) {
      int n = handshake.writeHello(receiveHello, 0, wallMillis.getAsLong());
      if (!transport.send(receiveHello, 0, n)) {
        drops.drop(LinkDropReason.SEND_FAILED);
      }
    }
  }

  private void onData(byte[] buf, int off, int len) {
    LinkDropReason r = openers.open(buf, off, len, nanoClock.getAsLong());
    if (r != null) {
      drops.drop(r);
      return;
    }
    if (!heard) {
      heard = true;
    }
    if (!ring.offer(buf, off + LinkDatagram.DATA_HEADER, len - LinkDatagram.OVERHEAD, null, null)) {
      drops.drop(LinkDropReason.QUEUE_FULL);
      return;
    }
    if (!drainPosted.get() && drainPosted.compareAndSet(false, true)) {
      worker.execute(drainTask);
    }
  }

  // ---- worker: receiving

  private void drain() {
    drainPosted.set(false); // before draining: an offer from now on posts another drain
    deliverNanos = nanoClock.getAsLong();
    ring.drain(deliver);
  }

  private void deliver(byte[] buf, int off, int len, InetSocketAddress unused, Void tag) {
    try {
      header.wrap(buf, off, len);
    } catch (LinkParseException e) {
      drops.drop(LinkDropReason.BAD_HEADER);
      return;
    }
    int kind = header.kind();
    received.lazySet(kind, received.get(kind) + 1);
    int ch = header.channel();
    int p = header.payloadOffset();
    int n = header.payloadLength();
    switch (kind) {
      case LinkHeader.KIND_RTP, LinkHeader.KIND_SENDER_REPORT -> {
        LinkReceiver r = receiver(ch);
        if (r == null) {
          drops.drop(LinkDropReason.UNKNOWN_CHANNEL);
        } else if (kind == LinkHeader.KIND_RTP) {
          r.onRtp(buf, p, n, header.encoding(), deliverNanos);
        } else {
          r.onSenderReport(buf, p, n, deliverNanos);
        }
      }
      default -> {
        LinkSender s = sender(ch);
        if (s == null) {
          drops.drop(LinkDropReason.UNKNOWN_CHANNEL);
        } else if (kind == LinkHeader.KIND_NACK) {
          s.onNack(buf, p, n);
        } else {
          s.onPli(buf, p, n, deliverNanos);
        }
      }
    }
  }

  /** The import whose mirror receives media SSRC {@code ssrc}, or null (worker only). */
  LinkReceiver importOf(int ssrc) {
    for (int ch = 1; ch < imports.capacity(); ch++) {
      LinkReceiver r = imports.get(ch);
      if (r != null && r.mirror().encodingOf(ssrc) >= 0) {
        return r;
      }
    }
    return null;
  }
}
