package eu.visio.signal.livekit;

/**
 * Who publishes a {@link Publication}: a participant served here ({@link LiveKitParticipant}) or on
 * another node of a cascaded room ({@link RemoteParticipant}). Subscribers see no difference.
 */
sealed interface TrackOwner permits LiveKitParticipant, RemoteParticipant {
  String sid();

  String identity();

  /** Whether this publisher lets {@code subscriber} receive {@code trackSid}. */
  boolean allows(LiveKitParticipant subscriber, String trackSid);
}
