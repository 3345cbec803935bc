package eu.visio.meet.room;

/** Who enters a room directly; everyone else waits in the lobby for a host. */
public enum AccessLevel {
  /** Anyone with the link: no lobby. */
  PUBLIC,
  /** Signed-in users enter; guests wait. */
  TRUSTED,
  /** Only users with a role on the room enter; everyone else waits. */
  RESTRICTED;

  /** As the API and the database spell it: {@code public}, {@code trusted}, {@code restricted}. */
  public String wire() {
    return WireNames.of(this);
  }

  /** The level spelled {@code wire}, or a {@link ValidationException} for {@code access_level}. */
  public static AccessLevel parse(String wire) {
    return WireNames.parse(AccessLevel.class, "access_level", wire);
  }
}
