package eu.visio.signal.cluster;

/**
 * When a node serves a participant itself although the participant's room lives on another node,
 * the two nodes then cascading the room over a relay link (issue 10), instead of relaying the
 * participant's signalling to the room's node, which then serves its media too.
 */
public enum CascadeMode {
  /** Never: a room is served by one node, and joins elsewhere are relayed to it. */
  OFF,
  /**
   * When the room's node is in another region (participants keep their media close, one copy of
   * each track crosses between regions), or is full (the room grows beyond one node).
   */
  REGIONS,
  /** Always: every node serves the participants that connect to it (edge nodes, tests). */
  ALWAYS
}
