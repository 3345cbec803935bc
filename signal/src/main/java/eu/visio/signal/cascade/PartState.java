package eu.visio.signal.cascade;

import eu.visio.sfu.TrackInfo;
import eu.visio.sfu.TrackSource;
import java.util.List;
import java.util.Map;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitRtc.SubscriptionPermission;

/**
 * One node's part of a cascaded room, as it tells the other nodes serving the room.
 *
 * @param room the room's name
 * @param node the sending node's id
 * @param version increases with every change of this part (since the node's boot): an older one
 *     arriving late is ignored
 * @param ended the part is gone (its last participant left): the others drop it at once
 * @param linkHost where this node's link socket listens
 * @param linkPort its UDP port ({@link eu.visio.media.relay.LinkMux}: one for all links)
 * @param linkIds the id this node gave its link to each peer node, which the peer's datagrams carry
 * @param members the participants this node serves, with what they publish
 * @param wantedLayers the highest spatial layer this node's subscribers need of each of the others'
 *     video tracks, by track sid (-1: none): each origin's dynacast counts it
 */
public record PartState(
    String room,
    String node,
    long version,
    boolean ended,
    String linkHost,
    int linkPort,
    Map<String, Integer> linkIds,
    List<Member> members,
    Map<String, Integer> wantedLayers) {

  public PartState {
    linkIds = Map.copyOf(linkIds);
    members = List.copyOf(members);
    wantedLayers = Map.copyOf(wantedLayers);
  }

  /**
   * A participant served by the sending node.
   *
   * @param info as LiveKit describes it (its tracks included)
   * @param permission who may subscribe to its tracks (its subscription permission)
   * @param quality its connection quality grade (LiveKit's enum number)
   * @param score its connection quality score
   * @param tracks its published tracks that carry media, with their link channel
   */
  public record Member(
      ParticipantInfo info,
      SubscriptionPermission permission,
      int quality,
      float score,
      List<Export> tracks) {
    public Member {
      tracks = List.copyOf(tracks);
    }
  }

  /**
   * A published track the sending node exports on its links.
   *
   * @param trackSid the track's sid (in the member's info)
   * @param channel its channel on every link of the sending node for this room (1 to 65535)
   * @param media how the origin receives it (codec, payload types, header extension ids, rids):
   *     what the packets on the link carry
   * @param source camera, microphone, screen share...
   */
  public record Export(String trackSid, int channel, TrackInfo media, TrackSource source) {}
}
