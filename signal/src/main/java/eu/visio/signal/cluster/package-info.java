/**
 * The foundations of a Visio cluster on Redis (issue 10): which nodes are alive and how loaded
 * ({@link eu.visio.signal.cluster.NodeRegistry}), which node is a room's home ({@link
 * eu.visio.signal.cluster.RoomLease}, {@link eu.visio.signal.cluster.Placement}), and authenticated
 * node-to-node messages ({@link eu.visio.signal.cluster.ClusterBus}); {@link
 * eu.visio.signal.cluster.Cluster} starts them together; {@code
 * eu.visio.server.cluster.ClusterNode} wires them into the server.
 *
 * <p><b>What is ours and what is not.</b> Redis stores and expires the state and carries pub/sub;
 * Lettuce is the client (connections, reconnection, resubscription, Sentinel discovery). What is
 * hand-written is the coordination protocol on top, because no library has it: the registration
 * format, lease claims, renewals and takeovers (each one Lua script, so atomic on the server), the
 * placement rule, and the bus's signed frame ({@link eu.visio.signal.cluster.BusFrame}) with its
 * replay and staleness checks.
 *
 * <p><b>Keys.</b>
 *
 * <pre>
 *   visio:node:{nodeId}         hash, PX node TTL, rewritten by each heartbeat: id, region, http,
 *                               media, boot, cap_participants, cap_pps, cpu, pps, participants,
 *                               tracks, draining (0/1), pending (added by placement until the
 *                               next heartbeat)
 *   visio:nodes                 set of node ids; members whose hash expired are pruned on read
 *   visio:room:{room}:lease     string "nodeId:epoch", PX lease TTL (= node TTL), SET NX
 *   visio:room:{room}:epoch     counter (INCR), the fencing token; kept a day past the last claim
 *                               or renewal so epochs keep growing
 *   visio:room:{room}:sid       string, the room's sid for its present life ({@link
 *                               eu.visio.signal.cluster.RoomSidStore}), PX node TTL
 *   visio:room:{room}:parts     sorted set of the nodes hosting a part of the room, scored with
 *                               each one's expiry (ms, Redis's clock), PX node TTL
 *   visio:bus:node:{nodeId}     pub/sub channel of one node
 *   visio:bus:all               pub/sub channel of every node
 *   visio:bus:room:{room}       pub/sub channel of the nodes serving a part of the room (a
 *                               cascaded room's states and data packets)
 * </pre>
 *
 * Scripts touch keys they compute (a holder's node key), which a single Redis, or a Sentinel
 * master, allows; Redis Cluster (sharding) is not supported, nor needed at this size.
 *
 * <p><b>Guarantees and limits.</b> A lease is held by one node at a time: claims are SET NX inside
 * a script, renewals and releases compare-and-set on the value. A holder that cannot reach Redis
 * keeps serving its rooms (media does not depend on Redis) and learns at its next renewal whether
 * it still holds each, got it back under a higher epoch, or lost it. The bus drops frames not
 * signed with the cluster secret, addressed to another node, more than 30 s from our clock, from an
 * older boot of their sender, or not above the last sequence number accepted from it; a receiver
 * that restarts accepts any sequence from a sender it has not yet heard, so within the 30 s window
 * a captured frame could be replayed to it once. Pub/sub keeps nothing for a node that is
 * disconnected.
 */
package eu.visio.signal.cluster;
