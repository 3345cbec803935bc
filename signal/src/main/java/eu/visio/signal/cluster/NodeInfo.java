package eu.visio.signal.cluster;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A live node as the registry holds it.
 *
 * @param boot the node's boot epoch (its start time in ms): a restarted node has a higher one
 * @param pending participants placement has sent its way since its last heartbeat (rooms placed
 *     there are not in its load yet; counting them keeps a burst of new rooms from all landing on
 *     the same node)
 */
public record NodeInfo(
    String id,
    String region,
    URI httpUrl,
    String mediaIp,
    long boot,
    NodeCapacity capacity,
    NodeLoad load,
    boolean draining,
    int pending) {

  /** Participants it has or is about to have. */
  public int expectedParticipants() {
    return load.participants() + pending;
  }

  /** The hash fields a heartbeat writes ({@code pending} is left out: the rewrite resets it). */
  Map<String, String> fields() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("id", id);
    f.put("region", region);
    f.put("http", httpUrl.toString());
    f.put("media", mediaIp);
    f.put("boot", Long.toString(boot));
    f.put("cap_participants", Integer.toString(capacity.participants()));
    f.put("cap_pps", Long.toString(capacity.packetsPerSecond()));
    f.put("cpu", Double.toString(load.cpu()));
    f.put("pps", Long.toString(load.packetsPerSecond()));
    f.put("participants", Integer.toString(load.participants()));
    f.put("tracks", Integer.toString(load.tracks()));
    f.put("draining", draining ? "1" : "0");
    return f;
  }

  /**
   * A node from its hash as {@code HGETALL} lists it (field, value, ...); empty when a field is
   * missing or malformed (a node of another version): such a node is not placed on.
   */
  static Optional<NodeInfo> parse(List<?> flat) {
    Map<String, String> f = new LinkedHashMap<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      f.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
    }
    try {
      return Optional.of(
          new NodeInfo(
              required(f, "id"),
              required(f, "region"),
              URI.create(required(f, "http")),
              required(f, "media"),
              Long.parseLong(required(f, "boot")),
              new NodeCapacity(
                  Integer.parseInt(required(f, "cap_participants")),
                  Long.parseLong(required(f, "cap_pps"))),
              new NodeLoad(
                  Double.parseDouble(required(f, "cpu")),
                  Long.parseLong(required(f, "pps")),
                  Integer.parseInt(required(f, "participants")),
                  Integer.parseInt(required(f, "tracks"))),
              "1".equals(f.get("draining")),
              Integer.parseInt(f.getOrDefault("pending", "0"))));
    } catch (IllegalArgumentException e) { // NumberFormatException is one
      return Optional.empty();
    }
  }

  private static String required(Map<String, String> fields, String name) {
    String value = fields.get(name);
    if (value == null) {
      throw new IllegalArgumentException("missing " + name);
    }
    return value;
  }
}
