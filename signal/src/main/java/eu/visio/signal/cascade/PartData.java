package eu.visio.signal.cascade;

/**
 * A data packet one node relays to the other nodes of a cascaded room: already checked and stamped
 * by the node its sender is on, to be delivered to the local participants it names (or to all).
 *
 * @param room the room's name
 * @param label the data channel it travels on ({@code _reliable} or {@code _lossy})
 * @param packet a LiveKit {@code DataPacket}
 */
@SuppressWarnings("ArrayRecordComponent") // handed over, never compared
public record PartData(String room, String label, byte[] packet) {}
