package eu.visio.signal.cluster;

/**
 * What a node is sized for; placement compares each node's load to it, so machines of different
 * sizes share a cluster.
 *
 * @param participants participants it accepts at most
 * @param packetsPerSecond packets per second it forwards at full load
 */
public record NodeCapacity(int participants, long packetsPerSecond) {
  /** A modest default for a few cores; operators size it per machine. */
  public static final NodeCapacity DEFAULT = new NodeCapacity(500, 200_000);

  public NodeCapacity {
    if (participants <= 0 || packetsPerSecond <= 0) {
      throw new IllegalArgumentException(
          "capacity must be positive: "
              + participants
              + " participants, "
              + packetsPerSecond
              + " packets/s");
    }
  }
}
