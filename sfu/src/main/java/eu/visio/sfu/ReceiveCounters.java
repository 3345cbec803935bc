package eu.visio.sfu;

/**
 * What a published track received and asked its publisher for, summed over its encodings.
 *
 * @param packets media packets received
 * @param keyframes keyframes received
 * @param keyframeRequests PLIs or FIRs sent to the publisher
 * @param duplicates media packets received twice (not forwarded again)
 * @param rtxRecovered RTX packets that repaired a loss and were forwarded
 * @param rtxRedundant RTX packets for packets already received (not forwarded)
 * @param rtxDropped RTX packets dropped: before any media, or too large to rebuild
 * @param paddingProbes padding-only RTX packets (bandwidth probes), dropped
 * @param nacksSent sequence numbers NACKed towards the publisher (each retry counts)
 */
public record ReceiveCounters(
    long packets,
    long keyframes,
    long keyframeRequests,
    long duplicates,
    long rtxRecovered,
    long rtxRedundant,
    long rtxDropped,
    long paddingProbes,
    long nacksSent) {}
