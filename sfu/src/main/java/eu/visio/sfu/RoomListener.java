package eu.visio.sfu;

import java.util.List;

/**
 * What a {@link Room} tells signalling, on the room's media thread. Implementations must not block:
 * hand the event to another thread if sending it can wait on I/O.
 */
public interface RoomListener {
  /**
   * The set or order of active speakers changed (loudest first; empty when nobody speaks), or the
   * dominant speaker did ({@code speakers.getFirst()}).
   */
  default void onSpeakersChanged(List<Speaker> speakers) {}

  /**
   * A subscriber's down track was paused for lack of downlink bandwidth ({@code active} false), or
   * resumed. Not raised for a track the subscriber disabled itself.
   */
  default void onStreamStateChanged(Participant subscriber, DownTrack track, boolean active) {}

  /**
   * The highest spatial layer any subscriber of {@code track} needs changed (-1: none; the
   * publisher may stop encoding what is above), for dynacast.
   */
  default void onLayersNeeded(PublishedTrack track, int maxSpatial) {}

  /**
   * A participant's connection grade changed (LiveKit's {@code ConnectionQualityUpdate}); {@code
   * score} is 1 to 5.
   */
  default void onQualityChanged(Participant participant, ConnectionQuality quality, double score) {}
}
