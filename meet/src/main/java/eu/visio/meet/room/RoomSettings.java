package eu.visio.meet.room;

import eu.visio.signal.token.VideoGrant.Source;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What a host lets participants do in a room; hosts themselves may always publish everything.
 *
 * @param canPublish the sources participants may publish (camera, microphone, screen share and its
 *     audio); empty makes a room where only hosts speak and show
 * @param everyoneCanMute whether any participant may mute others, or only hosts
 * @param maxParticipants how many may be in the meeting at once, {@value #MIN_PARTICIPANTS} to
 *     {@value #MAX_PARTICIPANTS}: a cap a host chooses below what the server allows
 */
public record RoomSettings(Set<Source> canPublish, boolean everyoneCanMute, int maxParticipants) {
  /** Fewer is not a meeting. */
  public static final int MIN_PARTICIPANTS = 2;

  /**
   * One room lives on one media worker, which forwards every stream to every subscriber: a thousand
   * participants is already far beyond what a call is useful for (La Suite Meet claims 150).
   */
  public static final int MAX_PARTICIPANTS = 1000;

  /** A new room's settings: everyone may publish everything and mute others; up to 150. */
  public static final RoomSettings DEFAULTS =
      new RoomSettings(EnumSet.allOf(Source.class), true, 150);

  public RoomSettings {
    if (canPublish == null) {
      throw new ValidationException("can_publish_sources", "missing");
    }
    // Not contains(null): immutable sets throw on that question.
    for (Source s : canPublish) {
      if (s == null) {
        throw new ValidationException("can_publish_sources", "unknown value");
      }
    }
    canPublish = canPublish.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(canPublish));
    if (maxParticipants < MIN_PARTICIPANTS || maxParticipants > MAX_PARTICIPANTS) {
      throw new ValidationException(
          "max_participants", "not between " + MIN_PARTICIPANTS + " and " + MAX_PARTICIPANTS);
    }
  }

  /**
   * The sources spelled as LiveKit and La Suite Meet spell them ({@code camera}, {@code
   * microphone}, {@code screen_share}, {@code screen_share_audio}); repeats are harmless, anything
   * else is a {@link ValidationException}.
   */
  public static Set<Source> parseSources(Collection<String> wire) {
    if (wire == null) {
      throw new ValidationException("can_publish_sources", "missing");
    }
    EnumSet<Source> sources = EnumSet.noneOf(Source.class);
    for (String w : wire) {
      sources.add(WireNames.parse(Source.class, "can_publish_sources", w));
    }
    return sources;
  }

  /** {@link #canPublish} in wire spelling, in a stable order. */
  public List<String> wireSources() {
    List<String> names = new ArrayList<>();
    for (Source s : Source.values()) {
      if (canPublish.contains(s)) {
        names.add(WireNames.of(s));
      }
    }
    return names;
  }

  public RoomSettings withCanPublish(Set<Source> sources) {
    return new RoomSettings(sources, everyoneCanMute, maxParticipants);
  }

  public RoomSettings withEveryoneCanMute(boolean b) {
    return new RoomSettings(canPublish, b, maxParticipants);
  }

  public RoomSettings withMaxParticipants(int max) {
    return new RoomSettings(canPublish, everyoneCanMute, max);
  }
}
