package eu.visio.sfu;

/**
 * What a published track carries, as the publisher declared it (LiveKit's {@code TrackSource}). The
 * downlink allocator serves screen shares before cameras.
 */
public enum TrackSource {
  CAMERA,
  MICROPHONE,
  SCREEN_SHARE,
  SCREEN_SHARE_AUDIO,
  UNKNOWN;

  /** Whether this is a screen share (video), served first when bandwidth is short. */
  public boolean screen() {
    return this == SCREEN_SHARE;
  }
}
