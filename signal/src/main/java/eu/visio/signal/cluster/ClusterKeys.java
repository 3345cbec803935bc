package eu.visio.signal.cluster;

/** The Redis key and channel names of the cluster (layout documented in package-info). */
final class ClusterKeys {
  static final String NODE_PREFIX = "visio:node:";
  static final String NODES = "visio:nodes";
  static final String BROADCAST_CHANNEL = "visio:bus:all";

  private ClusterKeys() {}

  static String node(String nodeId) {
    return NODE_PREFIX + nodeId;
  }

  static String lease(String room) {
    return "visio:room:" + room + ":lease";
  }

  static String epoch(String room) {
    return "visio:room:" + room + ":epoch";
  }

  static String sid(String room) {
    return "visio:room:" + room + ":sid";
  }

  static String parts(String room) {
    return "visio:room:" + room + ":parts";
  }

  static String nodeChannel(String nodeId) {
    return "visio:bus:node:" + nodeId;
  }

  static String roomChannel(String room) {
    return "visio:bus:room:" + room;
  }
}
