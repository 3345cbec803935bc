package eu.visio.signal.cluster;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks a room's home node and claims its lease. A room with a live owner stays where it is.
 * Otherwise, among live nodes that are not draining:
 *
 * <ol>
 *   <li>Nodes that fit: free capacity ({@link NodeCapacity#participants()} minus participants and
 *       pending placements) of at least the room's size hint, and a {@link #score} below 1. If none
 *       fits, all of them (a big room still goes somewhere: the least loaded).
 *   <li>Of those, the ones in the first participant's region, if any (media stays near them).
 *   <li>Of those, the lowest score, then the fewest expected participants, then the node id (so
 *       every node that places a room decides alike).
 * </ol>
 *
 * <p>The lease is then claimed for the chosen node in one script, which returns the owner instead
 * if a live one appeared meanwhile (two nodes placing the same room at once agree on one), and the
 * room's size hint is added to the node's pending count so a burst of new rooms spreads before the
 * next heartbeats report them.
 */
public final class Placement {
  private static final Logger log = LoggerFactory.getLogger(Placement.class);

  /**
   * What placement knows of a new room.
   *
   * @param region the first participant's region, or null when unknown
   * @param sizeHint participants the meeting service expects (at least 1)
   * @param preferred the node to choose among equals (the one placing the room, so that a room
   *     needs no relay when every node is alike), or null
   */
  public record Request(String region, int sizeHint, String preferred) {
    public Request {
      sizeHint = Math.max(1, sizeHint);
    }

    public Request(String region, int sizeHint) {
      this(region, sizeHint, null);
    }
  }

  /**
   * Where the room lives.
   *
   * @param lease the room's lease (node and epoch)
   * @param node that node's registration
   * @param existing whether the room already lived there (else this call placed it)
   */
  public record Placed(Lease lease, NodeInfo node, boolean existing) {}

  private final NodeRegistry registry;
  private final RoomLease leases;

  public Placement(NodeRegistry registry, RoomLease leases) {
    this.registry = registry;
    this.leases = leases;
  }

  /**
   * The room's home: its live owner, or a node chosen now.
   *
   * @throws ClusterUnavailableException Redis is unreachable, or no live node takes rooms
   */
  public Placed place(String room, Request request) {
    List<NodeInfo> nodes = registry.liveNodes();
    Optional<Lease> owner = leases.owner(room);
    if (owner.isPresent()) {
      Optional<NodeInfo> home = find(nodes, owner.get().nodeId());
      if (home.isPresent()) {
        return new Placed(owner.get(), home.get(), true);
      }
    }
    NodeInfo chosen =
        choose(nodes, request)
            .orElseThrow(
                () ->
                    new ClusterUnavailableException(
                        ClusterUnavailableException.Reason.NO_NODE,
                        "no live node takes new rooms ("
                            + nodes.size()
                            + " registered, all draining)"));
    RoomLease.Claim claim = leases.claimUnlessLive(room, chosen.id());
    if (!claim.taken()) {
      String holder = claim.lease().nodeId();
      NodeInfo node = find(nodes, holder).or(() -> registry.node(holder)).orElse(chosen);
      return new Placed(claim.lease(), node, true);
    }
    registry.reserve(chosen.id(), request.sizeHint());
    log.info(
        "cluster: room {} placed on node {} (epoch {}, region {}, score {})",
        room,
        chosen.id(),
        claim.lease().epoch(),
        chosen.region(),
        String.format("%.2f", score(chosen)));
    return new Placed(claim.lease(), chosen, false);
  }

  /** The node a new room goes to, by the rules above; empty when every node drains. */
  static Optional<NodeInfo> choose(List<NodeInfo> nodes, Request request) {
    List<NodeInfo> open = nodes.stream().filter(n -> !n.draining()).toList();
    List<NodeInfo> fitting = open.stream().filter(n -> fits(n, request.sizeHint())).toList();
    List<NodeInfo> pool = fitting.isEmpty() ? open : fitting;
    List<NodeInfo> local = pool.stream().filter(n -> n.region().equals(request.region())).toList();
    List<NodeInfo> candidates = local.isEmpty() ? pool : local;
    Optional<NodeInfo> best = candidates.stream().min(ORDER);
    // The preferred node wins a tie on load (the id, last in ORDER, only makes choices agree).
    return best.map(
        b ->
            candidates.stream()
                .filter(n -> n.id().equals(request.preferred()) && TIE.compare(n, b) == 0)
                .findFirst()
                .orElse(b));
  }

  private static final Comparator<NodeInfo> TIE =
      Comparator.comparingDouble(Placement::score).thenComparingInt(NodeInfo::expectedParticipants);

  private static final Comparator<NodeInfo> ORDER = TIE.thenComparing(NodeInfo::id);

  /**
   * How loaded a node is, 0 (idle) to 1 (full): its most used resource of CPU, participants
   * (counting pending placements) and packets per second, each against its capacity. The most used
   * one decides because it is the one that runs out first.
   */
  static double score(NodeInfo node) {
    double participants = (double) node.expectedParticipants() / node.capacity().participants();
    double packets = (double) node.load().packetsPerSecond() / node.capacity().packetsPerSecond();
    return Math.max(node.load().cpu(), Math.max(participants, packets));
  }

  private static boolean fits(NodeInfo node, int sizeHint) {
    int free = node.capacity().participants() - node.expectedParticipants();
    return free >= sizeHint && score(node) < 1;
  }

  private static Optional<NodeInfo> find(List<NodeInfo> nodes, String id) {
    return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
  }
}
