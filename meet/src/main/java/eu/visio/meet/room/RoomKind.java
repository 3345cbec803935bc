package eu.visio.meet.room;

/**
 * Why a room exists: started on the spot, or kept as a standing link (a team's weekly meeting).
 * Both stay until deleted; the kind lets a cleanup policy treat old instant rooms differently.
 */
public enum RoomKind {
  INSTANT,
  PERMANENT;

  public String wire() {
    return WireNames.of(this);
  }

  /** The kind spelled {@code wire}, or a {@link ValidationException} for {@code kind}. */
  public static RoomKind parse(String wire) {
    return WireNames.parse(RoomKind.class, "kind", wire);
  }
}
