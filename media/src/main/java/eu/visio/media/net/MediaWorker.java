package eu.visio.media.net;

import eu.visio.media.DropCounters;
import eu.visio.media.DropReason;
import eu.visio.media.net.UdpMediaPort.Endpoint;
import eu.visio.media.net.UdpMediaPort.Route;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One media thread of a {@link UdpMediaPort}: a Netty event loop that owns a set of endpoints (the
 * rooms placed on it) and everything they touch on the packet path. An endpoint is called only on
 * its owner, sends on its owner's socket, and its timers and SFU tasks run there, so nothing on the
 * packet path needs a lock.
 *
 * <p>On epoll every worker has its own socket bound to the shared port with {@code SO_REUSEPORT}:
 * the kernel spreads remote addresses over the sockets by a hash of the 4-tuple. A datagram that
 * arrives on worker k for an endpoint owned by worker j is copied into the {@link HandoffRing} k→j
 * (dropped as {@link DropReason#HANDOFF_FULL} when it is full), and j is woken once per receive
 * batch by one posted drain task. With NIO, worker 0 has the only socket and hands off the rest;
 * the other workers' sends are queued to worker 0's loop by Netty.
 */
public final class MediaWorker {
  private static final Logger log = LoggerFactory.getLogger(MediaWorker.class);

  /**
   * Most recycled datagrams in flight per worker (3 MiB of direct buffers at most, allocated only
   * as bursts need them): a receive batch of 32 packets fanned out to ~60 subscribers each before
   * its flush. A larger burst, or a socket backed up that long, sends allocated datagrams.
   */
  static final int MAX_ENVELOPES = 2048;

  private final UdpMediaPort port;
  private final int index;
  private final EventLoop loop;
  private final DropCounters drops;
  // The socket this worker sends on; its own (epoll, or worker 0 on NIO) or worker 0's.
  private final Channel channel;
  private final boolean ownsChannel;
  // Datagrams sent on this worker's own loop, reused (its thread only).
  private final SendEnvelopePool envelopes = new SendEnvelopePool(MAX_ENVELOPES);
  private final byte[] receiveBuffer = new byte[UdpMediaPort.MAX_DATAGRAM + UdpMediaPort.TAIL_ROOM];
  // outgoing[j]: the ring this worker fills for worker j (null for itself).
  private final HandoffRing<Endpoint>[] outgoing;
  private final AtomicBoolean drainPosted = new AtomicBoolean();
  private final AtomicInteger load = new AtomicInteger();
  private final Runnable flushTask = this::flushNow;
  private final Runnable drainTask = this::drainHandOffs;
  private final HandoffRing.Consumer<Endpoint> deliver = this::deliver;
  // ICE-TCP paths of the endpoints owned here, by the peer's address: send() frames onto these
  // instead of the UDP socket. Written on this worker; read by any thread that sends (the DTLS
  // handshake's). A UDP peer on the very same address and port as a TCP one is shadowed by it.
  private final Map<InetSocketAddress, TcpConnection> tcpPaths = new ConcurrentHashMap<>();
  // Bumped with every change of tcpPaths (this worker's thread only): a Sender looks its address
  // up again only when this moved since its last look.
  private int tcpPathsVersion;
  // TCP connections written to since the last flush (this worker's thread only).
  private final ArrayList<TcpConnection> tcpUnflushed = new ArrayList<>();

  // Event-loop state: inside a receive batch or drain (flushed at its end), a flush already
  // posted, and which workers this batch handed datagrams to.
  private boolean reading;
  private boolean flushPosted;
  private final boolean[] wakeAfterBatch;
  private boolean anyWake;
  private long received;
  private long sent;
  private long receivedBytes;
  private long sentBytes;
  private long handedOff;

  /**
   * Creates worker {@code index} on {@code loop}. With a {@code bootstrap}, binds its own socket to
   * {@code bindTo} (this is the last step, so the receive handler sees every field set); otherwise
   * sends on {@code shared}.
   */
  @SuppressWarnings({"unchecked", "rawtypes"}) // generic array of rings
  MediaWorker(
      UdpMediaPort port,
      int index,
      int workerCount,
      int ringCapacity,
      EventLoop loop,
      Bootstrap bootstrap,
      InetSocketAddress bindTo,
      Channel shared)
      throws InterruptedException {
    this.port = port;
    this.index = index;
    this.loop = loop;
    this.drops = port.drops();
    this.wakeAfterBatch = new boolean[workerCount];
    this.outgoing = new HandoffRing[workerCount];
    for (int j = 0; j < workerCount; j++) {
      if (j != index) {
        outgoing[j] = new HandoffRing<>(ringCapacity, receiveBuffer.length);
      }
    }
    if (bootstrap != null) {
      this.channel =
          bootstrap.clone().group(loop).handler(new Receiver()).bind(bindTo).sync().channel();
      this.ownsChannel = true;
    } else {
      this.channel = shared;
      this.ownsChannel = false;
    }
  }

  /** This worker's position in {@link UdpMediaPort#workers()}. */
  public int index() {
    return index;
  }

  public UdpMediaPort port() {
    return port;
  }

  public DropCounters drops() {
    return drops;
  }

  /** Runs {@code task} on this worker's thread. */
  public void execute(Runnable task) {
    loop.execute(task);
  }

  /** Runs {@code task} on this worker's thread after {@code delay}. */
  public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
    return loop.schedule(task, delay, unit);
  }

  /** Runs {@code task} on this worker's thread every {@code period}, first after {@code period}. */
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long period, TimeUnit unit) {
    return loop.scheduleAtFixedRate(task, period, period, unit);
  }

  /** Whether the caller is this worker's thread. */
  public boolean inEventLoop() {
    return loop.inEventLoop();
  }

  // Endpoints are routed by identity: equals is never asked whether two peers are the same.

  /**
   * Routes STUN naming {@code ufrag} to {@code endpoint}, which this worker then owns. Safe from
   * any thread.
   */
  public void registerUfrag(String ufrag, Endpoint endpoint) {
    Route previous = port.byUfrag.put(ufrag, new Route(endpoint, this));
    load.incrementAndGet();
    if (previous != null) {
      previous.owner().load.decrementAndGet();
    }
  }

  /** Stops routing {@code ufrag}, if it still goes to {@code endpoint}. Safe from any thread. */
  @SuppressWarnings("ReferenceEquality")
  public void unregisterUfrag(String ufrag, Endpoint endpoint) {
    Route r = port.byUfrag.get(ufrag);
    if (r != null && r.endpoint() == endpoint && port.byUfrag.remove(ufrag, r)) {
      r.owner().load.decrementAndGet();
    }
  }

  /** Routes everything from {@code remote} to {@code endpoint}, owned here. Call on this worker. */
  @SuppressWarnings("ReferenceEquality")
  public void bindRemote(InetSocketAddress remote, Endpoint endpoint) {
    assertOnLoop();
    if (tcpPaths.containsKey(remote)) {
      return; // a TCP path is routed by its connection, not by the datagram table
    }
    Route r = port.byAddress.get(remote);
    // Consent checks re-bind the same address every few seconds: write (and allocate) only on news.
    if (r == null || r.endpoint() != endpoint || r.owner() != this) {
      port.byAddress.put(remote, new Route(endpoint, this));
    }
  }

  /** Stops routing {@code remote} to {@code endpoint}. Call on this worker. */
  @SuppressWarnings("ReferenceEquality")
  public void unbindRemote(InetSocketAddress remote, Endpoint endpoint) {
    assertOnLoop();
    Route r = port.byAddress.get(remote);
    if (r != null && r.endpoint() == endpoint) {
      port.byAddress.remove(remote, r);
    }
  }

  /** Removes every address routed to {@code endpoint}. Safe from any thread. */
  @SuppressWarnings("ReferenceEquality")
  public void unbindAll(Endpoint endpoint) {
    port.byAddress.values().removeIf(r -> r.endpoint() == endpoint);
  }

  /**
   * Sends one datagram on this worker's socket; the bytes are copied before return. On this
   * worker's thread the write joins the current batch: during a receive batch or a hand-off drain
   * it is flushed at its end, otherwise (a timer or a posted task, e.g. close_notify on close) by a
   * flush posted behind the running task, so sends from one task still leave in one sendmmsg. From
   * other threads (and on NIO from workers other than 0) it is flushed at once.
   */
  public void send(byte[] buf, int off, int len, InetSocketAddress remote) {
    if (!tcpPaths.isEmpty()) {
      TcpConnection tcp = tcpPaths.get(remote);
      if (tcp != null) {
        sendTcp(tcp, buf, off, len);
        return;
      }
    }
    sendDatagram(buf, off, len, remote);
  }

  private void sendDatagram(byte[] buf, int off, int len, InetSocketAddress remote) {
    boolean onLoop = loop.inEventLoop();
    if (onLoop) {
      sent++;
      sentBytes += len;
    }
    if (!onLoop || !ownsChannel) {
      // The void promise reports nothing; a failed write is the socket's exceptionCaught.
      ChannelFuture _ =
          channel.writeAndFlush(allocated(buf, off, len, remote), channel.voidPromise());
      return;
    }
    // The common case, forwarding: a recycled datagram, unless a burst has them all in flight.
    DatagramPacket packet = envelopes.take(buf, off, len, remote);
    if (packet == null) {
      packet = allocated(buf, off, len, remote);
    }
    ChannelFuture _ = channel.write(packet, channel.voidPromise());
    if (!reading && !flushPosted) {
      flushPosted = true;
      loop.execute(flushTask);
    }
  }

  private DatagramPacket allocated(byte[] buf, int off, int len, InetSocketAddress remote) {
    ByteBuf out = channel.alloc().directBuffer(len, len);
    out.writeBytes(buf, off, len);
    return new DatagramPacket(out, remote);
  }

  /**
   * Frames one packet onto an ICE-TCP path; flushed like a datagram (at the end of the batch or by
   * a posted flush). A connection whose outbound buffer is above its high watermark gets nothing:
   * the packet is dropped and counted, so a slow reader costs its own media, never the worker.
   */
  private void sendTcp(TcpConnection tcp, byte[] buf, int off, int len) {
    boolean onLoop = loop.inEventLoop();
    if (!tcp.write(buf, off, len, onLoop)) {
      drops.drop(DropReason.TCP_SEND_FULL);
      return;
    }
    if (!onLoop) {
      return; // written and flushed by Netty on this worker
    }
    sent++;
    sentBytes += len;
    if (!tcp.unflushed) {
      tcp.unflushed = true;
      tcpUnflushed.add(tcp);
    }
    if (!reading && !flushPosted) {
      flushPosted = true;
      loop.execute(flushTask);
    }
  }

  private void flushTcp() {
    for (int i = 0; i < tcpUnflushed.size(); i++) {
      TcpConnection c = tcpUnflushed.get(i);
      c.unflushed = false;
      c.flush();
    }
    tcpUnflushed.clear();
  }

  /** A TCP connection on this worker starts reading: sends wait for {@link #endTcpRead}. */
  void beginTcpRead() {
    reading = true;
  }

  /** The end of a TCP connection's read: flushes what its frames caused, like a UDP batch. */
  void endTcpRead() {
    reading = false;
    if (ownsChannel) {
      channel.flush();
    }
    flushTcp();
    wakeOwners();
  }

  /** Delivers one frame of an ICE-TCP connection on this worker to its endpoint, owned here. */
  void deliverFrame(byte[] buf, int off, int len, InetSocketAddress remote, Endpoint endpoint) {
    received++;
    receivedBytes += len;
    deliver(buf, off, len, remote, endpoint);
  }

  EventLoop loop() {
    return loop;
  }

  /**
   * A sender bound to one remote address: {@link #send} to it, for a sender of many packets to one
   * peer (a transport's selected path). On this worker's thread it skips {@link #send}'s lookup of
   * the address among the ICE-TCP paths, which it repeats only when those changed.
   */
  public DatagramSender senderTo(InetSocketAddress remote) {
    return new Sender(remote);
  }

  /** An ICE-TCP connection now routed to an endpoint of this worker. Call on this worker. */
  void addTcpPath(InetSocketAddress remote, TcpConnection connection) {
    tcpPaths.put(remote, connection);
    tcpPathsVersion++;
  }

  /** Forgets {@code connection} as a path, if it still is one. Call on its worker. */
  void removeTcpPath(InetSocketAddress remote, TcpConnection connection) {
    if (tcpPaths.remove(remote, connection)) {
      tcpPathsVersion++;
    }
  }

  public void flush() {
    channel.flush();
  }

  /**
   * Endpoint ufrags registered on this worker (about one per live transport): the load {@link
   * UdpMediaPort#leastLoadedWorker()} balances.
   */
  public int load() {
    return load.get();
  }

  /** UDP payload bytes this worker's socket received (approximate when read off its thread). */
  public long receivedBytes() {
    return receivedBytes;
  }

  /** UDP payload bytes sent from this worker's thread (approximate when read off its thread). */
  public long sentBytes() {
    return sentBytes;
  }

  /** Datagrams this worker's socket received (approximate when read off its thread). */
  public long receivedCount() {
    return received;
  }

  /** Datagrams sent from this worker's thread. */
  public long sentCount() {
    return sent;
  }

  /** The recycled datagrams of this worker's own sends (its thread only). */
  SendEnvelopePool envelopes() {
    return envelopes;
  }

  /** Datagrams this worker's socket received for endpoints owned by another worker. */
  public long handedOffCount() {
    return handedOff;
  }

  @Override
  public String toString() {
    return "media worker " + index;
  }

  boolean ownsChannel() {
    return ownsChannel;
  }

  Channel channel() {
    return channel;
  }

  private void assertOnLoop() {
    if (!loop.inEventLoop()) {
      throw new IllegalStateException("must be called on " + this);
    }
  }

  private void flushNow() {
    flushPosted = false;
    channel.flush();
    flushTcp();
  }

  private void route(byte[] buf, int len, InetSocketAddress remote) {
    received++;
    receivedBytes += len;
    if (len == 0) {
      // Endpoints demultiplex on the first byte, which would be left over from the last datagram.
      drops.drop(DropReason.UNKNOWN_PROTOCOL);
      return;
    }
    Route route = port.byAddress.get(remote);
    if (route == null) {
      // RFC 7983: only STUN (first byte 0..3) may come from an address not yet validated.
      if (len < 20 || (buf[0] & 0xFF) > 3) {
        if (log.isTraceEnabled()) {
          log.trace("non-STUN datagram from unvalidated {}", remote);
        }
        drops.drop(DropReason.UNKNOWN_SOURCE);
        return;
      }
      String ufrag = port.ufragExtractor.localUfrag(buf, 0, len);
      route = ufrag == null ? null : port.byUfrag.get(ufrag);
      if (route == null) {
        if (log.isTraceEnabled()) {
          log.trace("STUN from {} for unknown ufrag {}", remote, ufrag);
        }
        drops.drop(ufrag == null ? DropReason.MALFORMED_STUN : DropReason.UNKNOWN_UFRAG);
        return;
      }
    }
    MediaWorker owner = route.owner();
    if (owner == this) {
      deliver(buf, 0, len, remote, route.endpoint());
      return;
    }
    int j = owner.index;
    if (!outgoing[j].offer(buf, 0, len, remote, route.endpoint())) {
      drops.drop(DropReason.HANDOFF_FULL);
      return;
    }
    handedOff++;
    if (!wakeAfterBatch[j]) {
      wakeAfterBatch[j] = true;
      anyWake = true;
    }
  }

  private void deliver(byte[] buf, int off, int len, InetSocketAddress remote, Endpoint endpoint) {
    try {
      endpoint.onDatagram(buf, off, len, remote);
    } catch (RuntimeException e) {
      // A bug in one endpoint must not stop the worker serving every other peer.
      drops.drop(DropReason.ENDPOINT_ERROR);
      log.warn("endpoint failed on a datagram from {}", remote, e);
    }
  }

  /** End of a receive batch: wake each worker this batch handed datagrams to, once. */
  private void wakeOwners() {
    if (!anyWake) {
      return;
    }
    anyWake = false;
    MediaWorker[] workers = port.workerArray();
    for (int j = 0; j < wakeAfterBatch.length; j++) {
      if (wakeAfterBatch[j]) {
        wakeAfterBatch[j] = false;
        workers[j].wake();
      }
    }
  }

  /**
   * Posts the drain task unless one is already pending. The getAndSet follows the producer's
   * release of the ring's tail, and the drain task's own getAndSet precedes its read of it, so a
   * hand-off is either seen by a pending drain or posts a new one.
   */
  private void wake() {
    if (!drainPosted.getAndSet(true)) {
      loop.execute(drainTask);
    }
  }

  private void drainHandOffs() {
    drainPosted.getAndSet(false);
    reading = true;
    try {
      for (MediaWorker producer : port.workerArray()) {
        if (producer != this) {
          producer.outgoing[index].drain(deliver);
        }
      }
    } finally {
      reading = false;
      if (ownsChannel) {
        channel.flush();
      }
      flushTcp();
    }
  }

  /**
   * Starts closing its channel, on its thread.
   *
   * @return completes once closed; null if it shares another worker's channel
   */
  ChannelFuture close() {
    return ownsChannel ? channel.close() : null;
  }

  /**
   * {@link #send} to one address, with the answer to "is it an ICE-TCP path?" kept between sends: a
   * transport's media to its selected path costs a version compare per packet, not a map lookup.
   * Off this worker's thread (where the version is not kept) it is a plain {@link #send}.
   */
  private final class Sender implements DatagramSender {
    private final InetSocketAddress remote;
    // The TCP path to remote as of tcpPathsVersion == version (this worker's thread only).
    private TcpConnection tcp;
    private int version;

    Sender(InetSocketAddress remote) {
      this.remote = remote;
      this.version = tcpPathsVersion - 1; // looks up on the first send
    }

    @Override
    public void send(byte[] buf, int off, int len) {
      if (!loop.inEventLoop()) {
        MediaWorker.this.send(buf, off, len, remote);
        return;
      }
      if (version != tcpPathsVersion) {
        tcp = tcpPaths.get(remote);
        version = tcpPathsVersion;
      }
      if (tcp != null) {
        sendTcp(tcp, buf, off, len);
      } else {
        sendDatagram(buf, off, len, remote);
      }
    }
  }

  private final class Receiver extends SimpleChannelInboundHandler<DatagramPacket> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
      ByteBuf content = packet.content();
      int len = content.readableBytes();
      if (len > UdpMediaPort.MAX_DATAGRAM) {
        drops.drop(DropReason.OVERSIZED);
        return;
      }
      reading = true;
      content.getBytes(content.readerIndex(), receiveBuffer, 0, len);
      route(receiveBuffer, len, packet.sender());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      reading = false;
      ctx.flush();
      flushTcp();
      wakeOwners();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("udp channel error on {}", MediaWorker.this, cause);
    }
  }
}
