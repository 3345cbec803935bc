package eu.visio.signal.cluster;

/**
 * An authenticated bus message, as handlers get it.
 *
 * @param sender the sending node's id
 * @param senderBoot the sender's boot epoch
 * @param timestamp when it was sent, by the sender's clock (ms since the epoch)
 * @param sequence the sender's sequence number for this boot
 * @param type the message type, which chose the handler
 * @param payload the bytes sent (protobuf, later); the handler owns the array
 */
@SuppressWarnings("ArrayRecordComponent") // one reader, no equality: the array is handed over
public record BusMessage(
    String sender, long senderBoot, long timestamp, long sequence, int type, byte[] payload) {}
