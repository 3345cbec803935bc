package eu.visio.signal.livekit;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitRtc.SubscriptionPermission;

/**
 * A participant of a cascaded room served by another node: its info as that node last described it,
 * and its tracks as publications whose SFU track is the mirror fed by the relay link from that
 * node. Local subscribers subscribe to them like any publication. Confined to the room's worker.
 */
final class RemoteParticipant implements TrackOwner {
  final String node;
  private ParticipantInfo info;
  private final TrackPermissions permissions = new TrackPermissions();
  private int quality;
  private float score;
  // By track sid; each with the link channel it arrives on.
  private final Map<String, Publication> publications = new LinkedHashMap<>();
  private final Map<String, Integer> channels = new LinkedHashMap<>();

  RemoteParticipant(String node, ParticipantInfo info) {
    this.node = node;
    this.info = info;
  }

  @Override
  public String sid() {
    return info.getSid();
  }

  @Override
  public String identity() {
    return info.getIdentity();
  }

  ParticipantInfo info() {
    return info;
  }

  /**
   * Who may receive its tracks now; whether that changed (the subscriptions here are then checked
   * again).
   */
  boolean setRules(SubscriptionPermission rules) {
    if (rules.equals(permissions.rules())) {
      return false;
    }
    permissions.set(rules);
    return true;
  }

  /** Its new info; whether anything clients see changed. */
  boolean update(ParticipantInfo next, int quality, float score) {
    this.quality = quality;
    this.score = score;
    if (next.equals(info)) {
      return false;
    }
    info = next;
    return true;
  }

  int quality() {
    return quality;
  }

  float score() {
    return score;
  }

  @Override
  public boolean allows(LiveKitParticipant subscriber, String trackSid) {
    return permissions.allows(subscriber, trackSid);
  }

  Collection<Publication> publications() {
    return publications.values();
  }

  Publication publication(String trackSid) {
    return publications.get(trackSid);
  }

  /** The link channel of {@code trackSid}, or 0 when not imported. */
  int channel(String trackSid) {
    return channels.getOrDefault(trackSid, 0);
  }

  void add(Publication pub, int channel) {
    publications.put(pub.sid(), pub);
    channels.put(pub.sid(), channel);
  }

  Publication remove(String trackSid) {
    channels.remove(trackSid);
    return publications.remove(trackSid);
  }

  boolean hidden() {
    return info.getPermission().getHidden();
  }
}
