package eu.visio.server.cluster;

import eu.visio.media.relay.LinkMux;
import eu.visio.signal.cascade.CascadeCodec;
import eu.visio.signal.cascade.CascadeParseException;
import eu.visio.signal.cascade.PartData;
import eu.visio.signal.cascade.PartState;
import eu.visio.signal.cluster.BusMessage;
import eu.visio.signal.cluster.ClusterBus;
import eu.visio.signal.cluster.ClusterConfig;
import eu.visio.signal.cluster.ClusterUnavailableException;
import eu.visio.signal.livekit.Cascade;
import eu.visio.signal.livekit.LiveKitRooms;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's side of cascading (issue 10): one UDP socket for every cascade link ({@link LinkMux},
 * on the media IP and {@code cluster.link_port}); the rooms' states and data packets go out on the
 * cluster bus (signed, numbered; see {@link ClusterBus}), each on its room's channel, which the
 * nodes serving a part of that room have joined and no other; the other nodes' come in and are
 * handed to the rooms here. A room never waits for Redis: what it publishes is queued and sent by
 * one thread, in order; a full queue drops and counts (a state is repeated anyway).
 */
final class CascadeNode implements Cascade, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CascadeNode.class);

  /** Bus message types. */
  static final int TYPE_STATE = 0x0C01;

  static final int TYPE_DATA = 0x0C02;

  /** Messages waiting for the bus; beyond, dropped and counted. */
  static final int QUEUE = 8192;

  private final ClusterConfig config;
  private final ClusterBus bus;
  private final LiveKitRooms rooms;
  private final byte[] linkKey;
  private final BlockingQueue<Outgoing> queue = new ArrayBlockingQueue<>(QUEUE);
  private final LongAdder sent = new LongAdder();
  private final LongAdder received = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder malformed = new LongAdder();
  private final LongAdder silentLinks = new LongAdder();
  // When a bus message last got through, and last failed (System.nanoTime; 0: never).
  private volatile long lastSent;
  private volatile long lastFailed;
  private final Thread sender;
  private final java.util.function.Predicate<String> holds;
  private final LinkMux links;

  private record Outgoing(String room, int type, byte[] payload) {}

  /**
   * @throws java.io.UncheckedIOException the link port cannot be bound
   */
  CascadeNode(
      ClusterConfig config,
      ClusterBus bus,
      LiveKitRooms rooms,
      java.util.function.Predicate<String> holds) {
    this.config = config;
    this.holds = holds;
    try {
      this.links = LinkMux.bind(new InetSocketAddress(config.mediaIp(), config.linkPort()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(
          "cluster: cannot bind the cascade link port "
              + config.mediaIp()
              + ":"
              + config.linkPort()
              + ": "
              + e.getMessage(),
          e);
    }
    log.info("cluster: cascade links on udp {}", links.localAddress());
    this.bus = bus;
    this.rooms = rooms;
    this.linkKey = config.secret().derive("visio cascade link v1");
    bus.register(TYPE_STATE, this::onState);
    bus.register(TYPE_DATA, this::onData);
    this.sender = Thread.ofPlatform().daemon().name("visio-cascade-bus").start(this::sendLoop);
  }

  @Override
  public String nodeId() {
    return config.nodeId();
  }

  @Override
  public String linkHost() {
    return config.mediaIp();
  }

  @Override
  public int linkPort() {
    return links.localAddress().getPort();
  }

  @Override
  public LinkMux.Link openLink() {
    return links.open();
  }

  /** The shared link socket (its drops, its links). */
  LinkMux links() {
    return links;
  }

  @Override
  public byte[] linkKey() {
    return linkKey.clone();
  }

  @Override
  public void linkSilent() {
    silentLinks.increment();
  }

  /** Links that went silent since start. */
  long silentLinks() {
    return silentLinks.sum();
  }

  @Override
  public boolean busHealthy() {
    long failed = lastFailed;
    return failed == 0 || lastSent - failed > 0;
  }

  @Override
  public boolean holdsLease(String room) {
    return holds.test(room);
  }

  @Override
  public void join(String room) {
    bus.joinRoom(room);
  }

  @Override
  public void leave(String room) {
    bus.leaveRoom(room);
  }

  @Override
  public void publish(PartState state) {
    enqueue(state.room(), TYPE_STATE, CascadeCodec.encode(state));
  }

  @Override
  public void publish(PartData data) {
    enqueue(data.room(), TYPE_DATA, CascadeCodec.encode(data));
  }

  private void enqueue(String room, int type, byte[] payload) {
    if (!queue.offer(new Outgoing(room, type, payload))) {
      dropped.increment();
    }
  }

  private void sendLoop() {
    while (!Thread.currentThread().isInterrupted()) {
      Outgoing o;
      try {
        o = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      try {
        bus.sendToRoom(o.room(), o.type(), o.payload());
        sent.increment();
        lastSent = System.nanoTime();
      } catch (ClusterUnavailableException | IllegalStateException | IllegalArgumentException e) {
        dropped.increment(); // Redis away, or too large: the next state repairs it
        lastFailed = System.nanoTime();
        log.debug("cascade: a bus message was not sent: {}", e.getMessage());
      }
    }
  }

  private void onState(BusMessage m) {
    PartState s;
    try {
      s = CascadeCodec.decodeState(m.payload());
    } catch (CascadeParseException e) {
      malformed.increment();
      log.debug("cascade: a state from node {} is malformed: {}", m.sender(), e.getMessage());
      return;
    }
    if (!s.node().equals(m.sender())) {
      malformed.increment(); // a node speaks for its own part only
      return;
    }
    received.increment();
    rooms.onPeerState(s);
  }

  private void onData(BusMessage m) {
    PartData d;
    try {
      d = CascadeCodec.decodeData(m.payload());
    } catch (CascadeParseException e) {
      malformed.increment();
      return;
    }
    received.increment();
    rooms.onPeerData(m.sender(), d);
  }

  /** Messages put on the bus. */
  long sent() {
    return sent.sum();
  }

  /** Messages from other nodes handed to the rooms. */
  long received() {
    return received.sum();
  }

  /** Messages not sent (queue full, Redis away). */
  long dropped() {
    return dropped.sum();
  }

  /** Messages from other nodes that did not decode, or spoke for another node. */
  long malformed() {
    return malformed.sum();
  }

  @Override
  public void close() {
    sender.interrupt();
    links.close();
  }
}
