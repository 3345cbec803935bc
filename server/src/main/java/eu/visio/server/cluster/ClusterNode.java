package eu.visio.server.cluster;

import eu.visio.signal.cluster.CascadeMode;
import eu.visio.signal.cluster.Cluster;
import eu.visio.signal.cluster.ClusterConfig;
import eu.visio.signal.cluster.NodeInfo;
import eu.visio.signal.cluster.NodeLoad;
import eu.visio.signal.cluster.Placement;
import eu.visio.signal.livekit.LiveKitRooms;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server as a node of a cluster (issue 10): its registration with its live load, where each
 * room lives ({@link #home}), and the leases of the rooms that live here ({@link HeldLeases}).
 * Started by {@code VisioServer} when the configuration has a {@code cluster} section.
 */
public final class ClusterNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);

  /** Where a room lives, as a join sees it. */
  public sealed interface Home {}

  /** Here: join locally. */
  public record Local() implements Home {}

  /** On another node: relay the signalling to it. */
  public record Remote(NodeInfo node) implements Home {}

  private final ClusterConfig config;
  private final Cluster cluster;
  private final HeldLeases held;
  private final AtomicLong relayed = new AtomicLong();
  // Relayed signalling: WebSockets to the other nodes (one client, its threads shared).
  private static final java.time.Duration CLIENT_CLOSE_WAIT = java.time.Duration.ofSeconds(2);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(SignalRelay.CONNECT_TIMEOUT).build();
  private final AtomicLong refused = new AtomicLong();
  private final FailoverCounters failover = new FailoverCounters();
  private volatile Consumer<String> roomLost = room -> {};
  private CascadeNode cascade; // null when cascading is off
  private SharedRoomSids sids;
  private volatile java.util.concurrent.ExecutorService lobbySender; // null without a lobby

  private ClusterNode(ClusterConfig config, Cluster cluster, LiveKitRooms rooms) {
    this.config = config;
    this.cluster = cluster;
    this.held =
        new HeldLeases(
            cluster.leases(), rooms::hosts, config.heartbeat(), config.nodeTtl(), this::lost);
  }

  /**
   * Connects to Redis, registers this node (its load from {@code rooms} and {@code packets}, the
   * media port's datagrams in and out so far) and starts keeping the leases of its rooms.
   *
   * @throws eu.visio.signal.cluster.ClusterUnavailableException Redis cannot be reached: a node
   *     that cannot join its cluster does not start
   */
  public static ClusterNode start(ClusterConfig config, LiveKitRooms rooms, LongSupplier packets) {
    rooms.setNodeId(config.nodeId());
    Cluster cluster = Cluster.connect(config, new LoadMeter(rooms, packets)::read);
    try {
      cluster.start();
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    ClusterNode node = new ClusterNode(config, cluster, rooms);
    if (config.cascade() != CascadeMode.OFF) {
      try {
        node.cascade = new CascadeNode(config, cluster.bus(), rooms, node.held::holds);
      } catch (RuntimeException e) { // the link port taken: this node does not start
        cluster.close();
        throw e;
      }
      rooms.setCascade(node.cascade);
    }
    // One sid per room cluster-wide, whichever nodes host its parts (relayed rooms too: a room
    // placed again after its home died keeps its sid while another node still hosts it).
    node.sids = new SharedRoomSids(cluster.sids(), config.nodeId(), rooms, config.heartbeat());
    rooms.setRoomSids(node.sids);
    node.held.start();
    log.info("cluster: node {} joined ({})", config.nodeId(), config);
    return node;
  }

  /**
   * Where {@code room} lives: its lease's holder, or a node placement chooses now (the least
   * loaded, in this node's region if it can, this node among equals), claiming the lease. A room
   * found here is kept: its lease is renewed while it lives here and released once it is empty.
   *
   * @throws eu.visio.signal.cluster.ClusterUnavailableException Redis cannot be reached, or no node
   *     takes rooms: the join must be refused
   */
  public Home home(String room) {
    held.touch(room); // before asking Redis, so an emptying room's lease is not released under us
    Placement.Placed placed =
        cluster.placement().place(room, new Placement.Request(config.region(), 1, config.nodeId()));
    if (placed.lease().nodeId().equals(config.nodeId())) {
      held.hold(placed.lease());
      return new Local();
    }
    held.forget(room);
    return new Remote(placed.node());
  }

  /**
   * Whether a join whose room lives on {@code home} is served here instead, this node and the home
   * then cascading the room (see {@link CascadeMode}): never while this node drains; else by mode,
   * {@code REGIONS} when the home is in another region or full (its participants, with those on
   * their way, at its capacity).
   */
  public boolean servesHere(Remote home) {
    return cascade != null && !draining() && servesHere(config.cascade(), config.region(), home);
  }

  /** The rule of {@link #servesHere(Remote)} for a node of {@code region} in {@code mode}. */
  static boolean servesHere(CascadeMode mode, String region, Remote home) {
    NodeInfo n = home.node();
    return switch (mode) {
      case OFF -> false;
      case ALWAYS -> true;
      case REGIONS ->
          !n.region().equals(region)
              || (n.capacity().participants() > 0
                  && n.expectedParticipants() >= n.capacity().participants());
    };
  }

  /**
   * Cascade bus messages sent, received, dropped and malformed since start, then links that went
   * silent (zeros when off).
   */
  public long[] cascadeMessages() {
    return cascade == null
        ? new long[5]
        : new long[] {
          cascade.sent(),
          cascade.received(),
          cascade.dropped(),
          cascade.malformed(),
          cascade.silentLinks()
        };
  }

  /**
   * Relays {@code client}'s signalling to the room's home node, on the same {@code path} and query.
   *
   * @throws SignalRelay.RelayFailedException the home node could not be reached
   */
  public SignalRelay relay(WsContext client, String room, Remote home, String path, String label)
      throws SignalRelay.RelayFailedException {
    SignalRelay relay =
        SignalRelay.open(
            http,
            client,
            home.node().httpUrl(),
            path,
            config.nodeId(),
            label,
            () -> relayBroken(room, home));
    relayed.incrementAndGet();
    return relay;
  }

  /** A join refused because the cluster could not say where its room lives. */
  public void refused() {
    refused.incrementAndGet();
  }

  /** Signalling sessions relayed to another node since start. */
  public long relayedSessions() {
    return relayed.get();
  }

  /** Joins refused since start because Redis could not be reached. */
  public long refusedJoins() {
    return refused.get();
  }

  /**
   * Whether this node holds {@code room}'s lease as far as it knows, without asking Redis: false
   * once a renewal found it lost, so that a session left here cannot be resumed in a room that
   * lives elsewhere now.
   */
  public boolean holds(String room) {
    return held.holds(room);
  }

  /** Rooms whose lease this node holds now. */
  public int heldRooms() {
    return held.size();
  }

  public String nodeId() {
    return config.nodeId();
  }

  public Cluster cluster() {
    return cluster;
  }

  // ---- Failover: a room whose home node died, a room this node lost ----

  /** How long a dying home's /healthz may take to answer before we stop waiting for it. */
  static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

  /**
   * {@code home} could not be reached for a join in {@code room}: if it is demonstrably dead (its
   * /healthz refuses or resets the connection), its registration is removed and the room placed
   * again, under a higher epoch, at once rather than after its TTL. A home that answers, or only
   * times out (slow, or a network between us that drops packets: not proof), is left alone and the
   * join refused as before; its TTL decides. The lease still decides where the room lives: a home
   * that was alive after all loses it at its next renewal and sends its participants on.
   *
   * @return the room's new home, or empty when {@code home} is not proven dead or is its home still
   * @throws eu.visio.signal.cluster.ClusterUnavailableException Redis cannot be reached
   */
  public Optional<Home> replaceDeadHome(String room, Remote home) {
    failover.count(FailoverCounters.Event.HOME_UNREACHABLE);
    NodeInfo dead = home.node();
    if (!provenDead(dead.httpUrl())) {
      failover.count(FailoverCounters.Event.HOME_NOT_DEAD);
      log.info("cluster: room {} home node {} unreachable but not proven dead", room, dead.id());
      return Optional.empty();
    }
    if (cluster.registry().evict(dead)) {
      failover.count(FailoverCounters.Event.HOME_EVICTED);
    }
    Home again = home(room);
    if (again instanceof Remote r && r.node().id().equals(dead.id())) {
      return Optional.empty(); // it registered again (restarted, or alive after all)
    }
    failover.count(FailoverCounters.Event.HOME_REPLACED);
    log.warn(
        "cluster: room {} home node {} is dead; the room now lives on node {}",
        room,
        dead.id(),
        again instanceof Remote r ? r.node().id() : config.nodeId());
    return Optional.of(again);
  }

  /** Whether the node at {@code url} refuses or resets a connection to its /healthz. */
  private boolean provenDead(URI url) {
    HttpRequest probe =
        HttpRequest.newBuilder(url.resolve("/healthz")).timeout(PROBE_TIMEOUT).GET().build();
    try {
      http.send(probe, HttpResponse.BodyHandlers.discarding());
      return false; // any HTTP answer: alive
    } catch (HttpTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Called with a room this node stopped serving because another node now holds its lease: its
   * participants here must be told to reconnect (they then land on the lease's holder).
   */
  public void onRoomLost(Consumer<String> handler) {
    roomLost = handler;
  }

  /**
   * A relayed session's connection to {@code home} broke: whether the home is dead, the room then
   * placed again (so that the client's new join finds its new home at once). Answered from a
   * virtual thread: the probe and Redis block, the WebSocket's thread must not.
   */
  private CompletableFuture<Boolean> relayBroken(String room, Remote home) {
    failover.count(FailoverCounters.Event.RELAY_BROKEN);
    CompletableFuture<Boolean> dead = new CompletableFuture<>();
    Thread.ofVirtual()
        .name("visio-cluster-failover")
        .start(
            () -> {
              try {
                dead.complete(replaceDeadHome(room, home).isPresent());
              } catch (RuntimeException e) { // Redis unreachable: the client resumes, tries again
                log.info("cluster: room {} home {} not replaced: {}", room, home.node().id(), e);
                dead.complete(false);
              }
            });
    return dead;
  }

  /** A participant of a lost room sent on. */
  public void participantMoved() {
    failover.count(FailoverCounters.Event.PARTICIPANT_MOVED);
  }

  private void lost(String room) {
    failover.count(FailoverCounters.Event.LEASE_LOST);
    log.warn("cluster: room {} is no longer ours: its participants here are sent on", room);
    roomLost.accept(room);
  }

  public FailoverCounters failover() {
    return failover;
  }

  /**
   * Starts draining this node: it says so in its registration (placement puts no new room here),
   * gives up the lease of every room it holds, so each can be placed elsewhere at once, and hands
   * each room to the {@link #onRoomLost} handler, which sends its participants on (their new joins
   * go through placement to another node). Joins that arrive later are relayed, never hosted.
   *
   * @return the rooms given up
   */
  public List<String> drain() {
    cluster.registry().drain();
    List<String> rooms = held.releaseAll();
    for (String room : rooms) {
      failover.count(FailoverCounters.Event.ROOM_DRAINED);
      log.info("cluster: node {} drains: room {} given up", config.nodeId(), room);
      roomLost.accept(room);
    }
    return rooms;
  }

  /** Bus message: a room's lobby changed on the sending node (payload: the room's name). */
  static final int TYPE_LOBBY_CHANGED = 0x0C03;

  /**
   * The lobby every node shares through the database: a change made here (a knock, a decision) is
   * told to the other nodes over the bus, whose watchers (hosts waiting for knocks, guests waiting
   * for a decision) then hear of it at once instead of at their next sweep. Best effort: a message
   * lost (Redis away) leaves it to the sweep.
   */
  public void shareLobby(eu.visio.meet.lobby.Lobby lobby) {
    java.util.concurrent.ExecutorService sender =
        java.util.concurrent.Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("visio-lobby-bus").factory());
    lobbySender = sender;
    lobby.onChangedHere(
        room ->
            sender.execute(
                () -> {
                  try {
                    cluster
                        .bus()
                        .broadcast(
                            TYPE_LOBBY_CHANGED,
                            room.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                  } catch (RuntimeException e) { // Redis away: the sweep tells them later
                    log.debug("cluster: lobby change of {} not told: {}", room, e.getMessage());
                  }
                }));
    cluster
        .bus()
        .register(
            TYPE_LOBBY_CHANGED,
            m -> {
              String room = new String(m.payload(), java.nio.charset.StandardCharsets.UTF_8);
              // The database read off the bus thread: a slow one must not hold other messages.
              Thread.ofVirtual()
                  .name("visio-lobby-refresh")
                  .start(() -> lobby.changedElsewhere(room));
            });
  }

  /** Whether this node drains (it then hosts no room). */
  public boolean draining() {
    return cluster.registry().draining();
  }

  /** Gives up this node's leases (its rooms can be placed again at once), then leaves. */
  @Override
  public void close() {
    if (cascade != null) {
      cascade.close();
    }
    if (lobbySender != null) {
      lobbySender.shutdownNow();
    }
    held.close();
    if (sids != null) {
      sids.close();
    }
    cluster.close();
    // Not close(): it waits for every exchange under way, and a relayed session's WebSocket to
    // another node can stay open for as long as that node keeps it (a test run hung 20 min there).
    http.shutdownNow();
    try {
      if (!http.awaitTermination(CLIENT_CLOSE_WAIT)) {
        log.warn("cluster HTTP client still busy {} after shutdown; leaving it", CLIENT_CLOSE_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The load each heartbeat reports: participants and tracks now, packets per second since. */
  private static final class LoadMeter {
    private static final java.lang.management.OperatingSystemMXBean OS =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    private final LiveKitRooms rooms;
    private final LongSupplier packets;
    private long lastPackets;
    private long lastNanos = System.nanoTime();

    LoadMeter(LiveKitRooms rooms, LongSupplier packets) {
      this.rooms = rooms;
      this.packets = packets;
      this.lastPackets = packets.getAsLong();
    }

    // Called by the heartbeat thread only.
    NodeLoad read() {
      long now = System.nanoTime();
      long total = packets.getAsLong();
      long elapsed = Math.max(1, now - lastNanos);
      long pps = Math.max(0, (total - lastPackets) * 1_000_000_000L / elapsed);
      lastNanos = now;
      lastPackets = total;
      return new NodeLoad(cpu(), pps, rooms.stats().participants(), rooms.stats().publications());
    }

    private static double cpu() {
      if (OS instanceof com.sun.management.OperatingSystemMXBean sun) {
        double load = sun.getProcessCpuLoad(); // negative when not available yet
        return load >= 0 && load <= 1 ? load : 0;
      }
      return 0;
    }
  }
}
