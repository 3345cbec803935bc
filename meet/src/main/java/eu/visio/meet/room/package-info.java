/**
 * Rooms as a product: the readable code people type, who may enter ({@link
 * eu.visio.meet.room.AccessLevel}), who hosts ({@link eu.visio.meet.room.Role}), what participants
 * may publish ({@link eu.visio.meet.room.RoomSettings}), and the signed-in {@link
 * eu.visio.meet.room.User}. Plain values, validated when built, so that nothing invalid reaches the
 * store or a token; bad input is a {@link eu.visio.meet.room.ValidationException}.
 */
package eu.visio.meet.room;
