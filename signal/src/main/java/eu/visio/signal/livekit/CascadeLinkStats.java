package eu.visio.signal.livekit;

import java.util.Map;

/**
 * One cascade link of a room as its node sees it: the RTP packets each track put on it or took off
 * it, which shows that each track crosses each link once whatever the subscribers on either side.
 *
 * @param room the room
 * @param peer the node at the other end
 * @param established whether both ends hold keys and media flows
 * @param silent whether nothing came from the peer lately (a broken path)
 * @param sent packets sent, by local track sid (retransmissions not counted)
 * @param received packets received, by remote track sid (retransmissions counted)
 */
public record CascadeLinkStats(
    String room,
    String peer,
    boolean established,
    boolean silent,
    Map<String, Long> sent,
    Map<String, Long> received) {
  public CascadeLinkStats {
    sent = Map.copyOf(sent);
    received = Map.copyOf(received);
  }
}
