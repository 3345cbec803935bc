package eu.visio.signal.livekit;

import eu.visio.media.relay.LinkHandshake;
import eu.visio.media.relay.LinkMux;
import eu.visio.sfu.PublishedTrack;
import eu.visio.sfu.cascade.LinkReceiver;
import eu.visio.sfu.cascade.LinkSender;
import eu.visio.sfu.cascade.RelayLink;
import eu.visio.signal.cascade.PartData;
import eu.visio.signal.cascade.PartState;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import livekit.LivekitModels.TrackInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A room's part in a cascade (issue 10): the other nodes serving participants of the same room (its
 * peers), a {@link RelayLink} to each, and their participants as {@link RemoteParticipant}s.
 *
 * <p>Every room of a cascading node says what it holds ({@link PartState}) when that changes; a
 * room hearing of another part of itself makes that node a peer, opens a link for it, and from then
 * on repeats its state every {@link #RESEND_NANOS}, so that a message lost on pub/sub is repaired
 * and a peer not heard from for {@link #PEER_TIMEOUT_NANOS} is dropped (its node died), unless this
 * node cannot reach the bus itself: a Redis outage drops no meeting, its media going on over the
 * links.
 *
 * <p>Each local track is numbered once (its channel, the same on every link) and exported on every
 * peer's link: one copy per peer node, whatever the number of subscribers there. Each peer's tracks
 * are imported as mirrors in this room's SFU, under a relay participant named by the remote
 * participant's sid, so speakers and subscriptions see them as any track. Layer needs go back in
 * the state ({@link PartState#wantedLayers}); NACKs and keyframe requests over the link itself.
 *
 * <p>Confined to the room's worker.
 */
final class RoomCascade {
  private static final Logger log = LoggerFactory.getLogger(RoomCascade.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** How often a part with peers repeats its state. */
  static final long RESEND_NANOS = 2_000_000_000L;

  /** A peer not heard from for this long is gone (its node died, or lost Redis). */
  static final long PEER_TIMEOUT_NANOS = 7_000_000_000L;

  /**
   * A link that heard nothing (not even its keepalive hello) for this long is broken: the path
   * between the nodes, or UDP blocked on the link port. Logged and counted; it recovers by itself
   * when the path does.
   */
  static final long LINK_SILENCE_NANOS = 5_000_000_000L;

  private final LiveKitRoom room;
  private final Cascade node;
  private final Map<String, Peer> peers = new LinkedHashMap<>();
  // Local track sid -> its channel on every link.
  private final Map<String, Integer> channels = new HashMap<>();
  private final Set<Integer> channelsInUse = new HashSet<>();
  // The local tracks by channel, as the last state described them.
  private Map<Integer, PublishedTrack> exportable = Map.of();
  private int nextChannel = 1;
  // Remote track sid -> the highest spatial layer subscribers here need.
  private final Map<String, Integer> wanted = new HashMap<>();
  private long version;
  private boolean dirty = true;
  private long lastSentNanos;
  private boolean closed;

  /** Another node serving the room. */
  private static final class Peer {
    final String node;
    final LinkMux.Link transport;
    final RelayLink link;
    long version = Long.MIN_VALUE;
    long heardNanos;
    boolean silent;
    final Map<String, RemoteParticipant> members = new LinkedHashMap<>(); // by sid
    final Map<Integer, PublishedTrack> exported = new HashMap<>(); // channel -> local track

    Peer(String node, LinkMux.Link transport, RelayLink link) {
      this.node = node;
      this.transport = transport;
      this.link = link;
    }
  }

  RoomCascade(LiveKitRoom room, Cascade node) {
    this.room = room;
    this.node = node;
    // Versions order one part's states; a part made after a restart starts above the old one.
    this.version = room.rooms().clock().millis() * 1000;
    node.join(room.name());
  }

  /** Something the peers see changed here: the state goes out at the next tick. */
  void changed() {
    dirty = true;
  }

  void tick(long nowNanos) {
    if (closed) {
      return;
    }
    boolean busUp = node.busHealthy();
    for (Peer p : List.copyOf(peers.values())) {
      if (!busUp) {
        p.heardNanos = nowNanos; // Redis away: silence proves nothing; the timeout restarts after
      } else if (nowNanos - p.heardNanos > PEER_TIMEOUT_NANOS) {
        log.info("room={} cascade peer {} silent: dropped", room.name(), p.node);
        dropPeer(p);
        continue;
      }
      p.link.tick(nowNanos);
      watchLink(p, nowNanos);
    }
    if (dirty || (!peers.isEmpty() && nowNanos - lastSentNanos > RESEND_NANOS)) {
      emit(nowNanos);
    }
  }

  private void watchLink(Peer p, long nowNanos) {
    long quiet = p.link.silentNanos(nowNanos);
    if (!p.silent && quiet > LINK_SILENCE_NANOS && p.transport.peer() != null) {
      p.silent = true;
      node.linkSilent();
      log.warn(
          "room={} cascade link to node {} ({}) silent for {} s{}: its media is not reaching"
              + " this node",
          room.name(),
          p.node,
          p.transport.peer(),
          quiet / 1_000_000_000L,
          p.link.established() ? "" : ", never established (is UDP open between the nodes?)");
    } else if (p.silent && quiet < LINK_SILENCE_NANOS) {
      p.silent = false;
      log.info("room={} cascade link to node {} back", room.name(), p.node);
    }
  }

  /** The room ends here: the peers drop this part at once, the links close. */
  void close() {
    if (closed) {
      return;
    }
    for (Peer p : List.copyOf(peers.values())) {
      dropPeer(p);
    }
    closed = true;
    node.leave(room.name()); // what we send still goes: a channel needs no joining to send
    node.publish(
        new PartState(
            room.name(),
            node.nodeId(),
            ++version,
            true,
            node.linkHost(),
            node.linkPort(),
            Map.of(),
            List.of(),
            Map.of()));
  }

  // ---- our state

  private void emit(long nowNanos) {
    dirty = false;
    lastSentNanos = nowNanos;
    List<PartState.Member> members = new ArrayList<>();
    Map<Integer, PublishedTrack> tracks = new HashMap<>();
    Set<String> live = new HashSet<>();
    for (LiveKitParticipant p : room.locals()) {
      List<PartState.Export> exports = new ArrayList<>();
      for (Publication pub : p.publications()) {
        PublishedTrack t = pub.track();
        if (t == null) {
          continue;
        }
        live.add(pub.sid());
        int ch = channels.computeIfAbsent(pub.sid(), s -> newChannel());
        exports.add(new PartState.Export(pub.sid(), ch, t.info(), t.source()));
        tracks.put(ch, t);
      }
      members.add(
          new PartState.Member(
              p.info(),
              p.permissionRules(),
              LiveKitRoom.grade(p.sfu().quality()).getNumber(),
              (float) p.sfu().qualityScore(),
              exports));
    }
    channels.entrySet().removeIf(e -> !live.contains(e.getKey()) && freeChannel(e.getValue()));
    exportable = tracks;
    Map<String, Integer> ids = new LinkedHashMap<>();
    for (Peer p : peers.values()) {
      syncExports(p, tracks);
      ids.put(p.node, p.transport.id());
    }
    node.publish(
        new PartState(
            room.name(),
            node.nodeId(),
            ++version,
            false,
            node.linkHost(),
            node.linkPort(),
            ids,
            members,
            wanted));
  }

  private int newChannel() {
    for (int i = 0; i < RelayLink.MAX_CHANNELS; i++) {
      int ch = nextChannel;
      nextChannel = nextChannel == RelayLink.MAX_CHANNELS ? 1 : nextChannel + 1;
      if (channelsInUse.add(ch)) {
        return ch;
      }
    }
    throw new IllegalStateException("every link channel in use");
  }

  private boolean freeChannel(int ch) {
    channelsInUse.remove(ch);
    return true;
  }

  /** Exports exactly {@code tracks} (channel -> local track) on {@code p}'s link. */
  private static void syncExports(Peer p, Map<Integer, PublishedTrack> tracks) {
    for (Integer ch : List.copyOf(p.exported.keySet())) {
      if (tracks.get(ch) != p.exported.get(ch)) {
        p.link.unexport(ch);
        p.exported.remove(ch);
      }
    }
    for (Map.Entry<Integer, PublishedTrack> e : tracks.entrySet()) {
      if (!p.exported.containsKey(e.getKey())) {
        p.link.export(e.getValue(), e.getKey());
        p.exported.put(e.getKey(), e.getValue());
      }
    }
  }

  // ---- the peers' states

  /** A state of another node's part of this room (from the bus, on the worker). */
  void onPeerState(PartState s, long nowNanos) {
    if (closed || s.node().equals(node.nodeId())) {
      return;
    }
    Peer p = peers.get(s.node());
    if (s.ended()) {
      if (p != null && s.version() > p.version) {
        log.info("room={} cascade peer {} ended its part", room.name(), p.node);
        dropPeer(p);
      }
      return;
    }
    if (p == null) {
      p = openPeer(s.node());
      if (p == null) {
        return;
      }
    } else if (s.version() <= p.version) {
      return; // late or repeated
    }
    p.version = s.version();
    p.heardNanos = nowNanos;
    Integer id = s.linkIds().get(node.nodeId());
    if (id != null && s.linkPort() > 0) {
      InetSocketAddress to = new InetSocketAddress(s.linkHost(), s.linkPort());
      if (!to.equals(p.transport.peer()) || id != p.transport.peerId()) {
        p.transport.setPeer(to, id);
        log.debug("room={} cascade peer {} link at {} id {}", room.name(), p.node, to, id);
      }
    }
    applyMembers(p, s.members());
    for (Map.Entry<Integer, PublishedTrack> e : p.exported.entrySet()) {
      Integer layer = s.wantedLayers().get(e.getValue().id());
      p.link.wantLayers(e.getKey(), layer == null ? Integer.MAX_VALUE : layer);
    }
  }

  private Peer openPeer(String peerNode) {
    LinkMux.Link transport = null;
    try {
      transport = node.openLink();
      RelayLink link =
          RelayLink.open(
              room.sfu(),
              room.worker()::execute,
              transport,
              new LinkHandshake(node.nodeId(), peerNode, node.linkKey(), RANDOM),
              System::nanoTime,
              System::currentTimeMillis);
      Peer p = new Peer(peerNode, transport, link);
      peers.put(peerNode, p);
      dirty = true; // the peer needs our link's id
      syncExports(p, exportable); // as of the last state; the next one (dirty) brings it up to date
      log.info("room={} cascade peer {}: link {}", room.name(), peerNode, transport.id());
      return p;
    } catch (RuntimeException e) {
      if (transport != null) {
        transport.close();
      }
      log.warn("room={} cascade peer {}: no link: {}", room.name(), peerNode, e.toString());
      return null;
    }
  }

  private void applyMembers(Peer p, List<PartState.Member> members) {
    Map<String, PartState.Member> bySid = new LinkedHashMap<>();
    for (PartState.Member m : members) {
      bySid.put(m.info().getSid(), m);
    }
    // Removals first: a channel given up may come back with another track.
    for (RemoteParticipant r : List.copyOf(p.members.values())) {
      PartState.Member m = bySid.get(r.sid());
      if (m == null) {
        removeMember(p, r);
        continue;
      }
      Map<String, Integer> now = new HashMap<>();
      for (PartState.Export e : m.tracks()) {
        now.put(e.trackSid(), e.channel());
      }
      for (Publication pub : List.copyOf(r.publications())) {
        Integer ch = now.get(pub.sid());
        if (ch == null || ch != r.channel(pub.sid())) {
          removeTrack(p, r, pub.sid());
        }
      }
    }
    for (PartState.Member m : bySid.values()) {
      RemoteParticipant r = p.members.get(m.info().getSid());
      boolean added = r == null;
      if (added) {
        r = new RemoteParticipant(p.node, m.info());
        p.members.put(r.sid(), r);
      }
      boolean changed = r.update(m.info(), m.quality(), m.score());
      boolean rulesChanged = r.setRules(m.permission());
      for (Publication pub : r.publications()) {
        TrackInfo info = trackInfo(m, pub.sid());
        if (info != null) {
          pub.setInfo(info);
        }
      }
      if (added || changed) {
        room.remoteChanged(r, added);
      }
      if (rulesChanged && !added) {
        room.remotePermissionsChanged(r); // before new tracks: they are checked as they come
      }
      for (PartState.Export e : m.tracks()) {
        if (r.channel(e.trackSid()) == 0) {
          addTrack(p, r, m, e);
        }
      }
    }
  }

  private void addTrack(Peer p, RemoteParticipant r, PartState.Member m, PartState.Export e) {
    TrackInfo info = trackInfo(m, e.trackSid());
    if (info == null) {
      return; // an export its info does not list: nothing to show clients
    }
    PublishedTrack mirror;
    try {
      mirror = p.link.importTrack(e.channel(), r.sid(), e.trackSid(), e.media(), e.source());
    } catch (IllegalArgumentException ex) {
      log.warn(
          "room={} cascade peer {} track {} refused: {}", room.name(), p.node, e, ex.toString());
      return;
    }
    Publication pub = new Publication(r, "", info);
    pub.negotiated(null, mirror);
    r.add(pub, e.channel());
    log.debug(
        "room={} cascade peer {} participant={} track={} imported on channel {}",
        room.name(),
        p.node,
        r.identity(),
        e.trackSid(),
        e.channel());
    room.remotePublished(pub);
  }

  private static TrackInfo trackInfo(PartState.Member m, String trackSid) {
    for (TrackInfo t : m.info().getTracksList()) {
      if (t.getSid().equals(trackSid)) {
        return t;
      }
    }
    return null;
  }

  private void removeTrack(Peer p, RemoteParticipant r, String trackSid) {
    int ch = r.channel(trackSid);
    Publication pub = r.remove(trackSid);
    if (pub != null) {
      room.remoteUnpublished(pub);
    }
    if (ch > 0) {
      p.link.removeImport(ch);
    }
    wanted.remove(trackSid);
  }

  private void removeMember(Peer p, RemoteParticipant r) {
    for (Publication pub : List.copyOf(r.publications())) {
      removeTrack(p, r, pub.sid());
    }
    p.members.remove(r.sid());
    room.remoteLeft(r);
  }

  private void dropPeer(Peer p) {
    peers.remove(p.node);
    for (RemoteParticipant r : List.copyOf(p.members.values())) {
      removeMember(p, r);
    }
    for (Integer ch : p.exported.keySet()) {
      p.link.unexport(ch);
    }
    p.exported.clear();
    p.link.close();
    dirty = true;
  }

  // ---- what the room asks

  /** Participants served by the peers. */
  List<RemoteParticipant> remotes() {
    List<RemoteParticipant> list = new ArrayList<>();
    for (Peer p : peers.values()) {
      list.addAll(p.members.values());
    }
    return list;
  }

  /** A remote publication by track sid, or null. */
  Publication publication(String trackSid) {
    for (Peer p : peers.values()) {
      for (RemoteParticipant r : p.members.values()) {
        Publication pub = r.publication(trackSid);
        if (pub != null) {
          return pub;
        }
      }
    }
    return null;
  }

  /** A mirror's dynacast changed: its origin hears of it with our next state. */
  boolean layersNeeded(PublishedTrack mirror, int maxSpatial) {
    Publication pub = publication(mirror.id());
    if (pub == null || pub.track() != mirror) {
      return false;
    }
    Integer old = wanted.put(mirror.id(), maxSpatial);
    if (old == null || old != maxSpatial) {
      dirty = true;
    }
    return true;
  }

  /** A data packet relayed here (checked and stamped): the peers deliver it to theirs. */
  void sendData(String label, byte[] packet) {
    if (!peers.isEmpty()) {
      node.publish(new PartData(room.name(), label, packet));
    }
  }

  /** Whether another node serves a part of this room now. */
  boolean hasPeers() {
    return !peers.isEmpty();
  }

  /** Whether {@code nodeId} serves a part of this room (its data packets are accepted). */
  boolean isPeer(String nodeId) {
    return peers.containsKey(nodeId);
  }

  /** Per peer: whether its link is up, and packets per track each way. */
  List<CascadeLinkStats> stats() {
    List<CascadeLinkStats> list = new ArrayList<>();
    for (Peer p : peers.values()) {
      Map<String, Long> sent = new LinkedHashMap<>();
      for (Map.Entry<Integer, PublishedTrack> e : p.exported.entrySet()) {
        LinkSender s = p.link.senderOf(e.getKey());
        sent.put(e.getValue().id(), s == null ? 0 : s.packets());
      }
      Map<String, Long> received = new LinkedHashMap<>();
      for (RemoteParticipant r : p.members.values()) {
        for (Publication pub : r.publications()) {
          LinkReceiver rx = p.link.receiverOf(r.channel(pub.sid()));
          received.put(pub.sid(), rx == null ? 0 : rx.packets());
        }
      }
      list.add(
          new CascadeLinkStats(
              room.name(), p.node, p.link.established(), p.silent, sent, received));
    }
    return list;
  }
}
