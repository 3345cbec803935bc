package eu.visio.signal.livekit;

import livekit.LivekitRtc.SubscriptionPermission;
import livekit.LivekitRtc.TrackPermission;

/**
 * Who may receive a publisher's tracks (LiveKit's {@code SubscriptionPermission}): everyone by
 * default; once a publisher restricts them, only the participants (by sid or identity) and tracks
 * it lists. Enforced by the server when anyone subscribes.
 */
final class TrackPermissions {
  private SubscriptionPermission rules =
      SubscriptionPermission.newBuilder().setAllParticipants(true).build();

  void set(SubscriptionPermission rules) {
    this.rules = rules;
  }

  SubscriptionPermission rules() {
    return rules;
  }

  boolean allows(LiveKitParticipant subscriber, String trackSid) {
    if (rules.getAllParticipants()) {
      return true;
    }
    for (TrackPermission p : rules.getTrackPermissionsList()) {
      boolean who =
          (!p.getParticipantSid().isEmpty() && p.getParticipantSid().equals(subscriber.sid()))
              || (!p.getParticipantIdentity().isEmpty()
                  && p.getParticipantIdentity().equals(subscriber.identity()));
      if (who && (p.getAllTracks() || p.getTrackSidsList().contains(trackSid))) {
        return true;
      }
    }
    return false;
  }
}
