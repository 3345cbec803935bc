package eu.visio.sfu;

/**
 * One entry of a room's active speaker list, loudest first.
 *
 * @param participantId who speaks
 * @param trackId the audio track carrying it
 * @param level smoothed loudness, 0 (silent) to 1 (full scale), as LiveKit's {@code
 *     SpeakerInfo.level}
 */
public record Speaker(String participantId, String trackId, double level) {}
