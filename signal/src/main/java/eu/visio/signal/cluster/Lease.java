package eu.visio.signal.cluster;

import java.util.Optional;

/**
 * A room's lease: which node is its home, and the fencing token of that tenure. Epochs only grow
 * for a room, so of two nodes that both once held it, the higher epoch is the current one.
 */
public record Lease(String room, String nodeId, long epoch) {

  /** The lease key's value. */
  String value() {
    return nodeId + ":" + epoch;
  }

  /** A lease from its key's value, empty if it is not {@code nodeId:epoch}. */
  static Optional<Lease> parse(String room, String value) {
    if (value == null) {
      return Optional.empty();
    }
    int colon = value.lastIndexOf(':');
    if (colon <= 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new Lease(room, value.substring(0, colon), Long.parseLong(value.substring(colon + 1))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
