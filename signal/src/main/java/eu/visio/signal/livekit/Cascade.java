package eu.visio.signal.livekit;

import eu.visio.signal.cascade.PartData;
import eu.visio.signal.cascade.PartState;

/**
 * The node's side of cascading (issue 10), which {@link LiveKitRooms#setCascade} gives every room:
 * where its link sockets listen, the key they authenticate with, and how a room's state and data
 * packets reach the other nodes serving the room (the cluster bus). The other nodes' messages come
 * back through {@link LiveKitRooms#onPeerState} and {@link LiveKitRooms#onPeerData}.
 */
public interface Cascade {
  /** This node's id, as the others know it. */
  String nodeId();

  /** The address this node's link socket listens on, which the other nodes reach it at. */
  String linkHost();

  /** That socket's UDP port. */
  int linkPort();

  /**
   * A new link on that socket, for a peer of one room (closed with its {@code RelayLink}).
   *
   * @throws IllegalStateException no link can be opened now (every id taken, or shutting down)
   */
  eu.visio.media.relay.LinkMux.Link openLink();

  /** The key link handshakes are authenticated with (at least 32 bytes, the same on all nodes). */
  byte[] linkKey();

  /**
   * Whether this node holds {@code room}'s lease (the room lives here): its webhooks say when the
   * room starts. From the room's worker: must not block (no Redis).
   */
  boolean holdsLease(String room);

  /**
   * Whether the bus works from here (the last message this node sent got through): while it does
   * not, a silent peer is not taken for gone, since nothing could have reached us.
   */
  boolean busHealthy();

  /** A room's link to a peer went silent (counted). From the room's worker: must not block. */
  void linkSilent();

  /**
   * A part of {@code room} starts here: from now on this node receives the room's messages from the
   * other nodes serving it (until as many {@link #leave} calls). Must not block.
   */
  void join(String room);

  /** The part of {@code room} started by a {@link #join} ends here. Must not block. */
  void leave(String room);

  /** Sends a room part's state to the other nodes. From the room's worker: must not block. */
  void publish(PartState state);

  /** Sends a data packet to the other nodes of its room. From the room's worker: must not block. */
  void publish(PartData data);
}
