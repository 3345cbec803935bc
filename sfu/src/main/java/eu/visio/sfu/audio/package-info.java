/**
 * Audio levels and active speakers: {@link eu.visio.sfu.audio.AudioLevel} reads the RFC 6464 audio
 * level of each audio packet; {@link eu.visio.sfu.audio.SpeakerDetector} turns those levels into a
 * ranked list of active speakers and one dominant speaker per room, with enough smoothing and
 * hysteresis that a cough does not take the stage and a pause between words does not lose it.
 *
 * <p>How the forwarding core uses it, on the room's media thread:
 *
 * <pre>{@code
 * int handle = detector.add();                       // when an audio track is published
 * int packed = AudioLevel.read(packet, audioLevelId); // per audio packet
 * if (packed != AudioLevel.ABSENT) {
 *   detector.onAudioLevel(handle, AudioLevel.level(packed), AudioLevel.voiceActivity(packed), now);
 * }
 * int changes = detector.tick(now);                  // every 100-300 ms from a timer
 * if ((changes & SpeakerDetector.SPEAKERS_CHANGED) != 0) { ... speakerCount(), speaker(i), level(i) }
 * if ((changes & SpeakerDetector.DOMINANT_CHANGED) != 0) { ... dominant() }
 * detector.remove(handle);                           // when the track goes away
 * }</pre>
 *
 * <p>Threading: owned by one media thread, never locked. Times are caller-supplied nanoseconds.
 */
package eu.visio.sfu.audio;
