package eu.visio.signal.cluster;

/**
 * A node's live load, as its heartbeat reports it.
 *
 * @param cpu the process's CPU use over the last period, 0 to 1 (of all cores)
 * @param packetsPerSecond RTP/RTCP packets received and sent per second
 * @param participants participants connected to this node
 * @param tracks published tracks on this node
 */
public record NodeLoad(double cpu, long packetsPerSecond, int participants, int tracks) {
  public static final NodeLoad IDLE = new NodeLoad(0, 0, 0, 0);

  public NodeLoad {
    if (!(cpu >= 0 && cpu <= 1)) { // also refuses NaN, which would poison every comparison
      throw new IllegalArgumentException("cpu must be within [0, 1]: " + cpu);
    }
    if (packetsPerSecond < 0 || participants < 0 || tracks < 0) {
      throw new IllegalArgumentException(
          "negative load: "
              + packetsPerSecond
              + " packets/s, "
              + participants
              + " participants, "
              + tracks
              + " tracks");
    }
  }
}
