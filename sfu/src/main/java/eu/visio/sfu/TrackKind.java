package eu.visio.sfu;

/** Audio or video. */
public enum TrackKind {
  AUDIO,
  VIDEO
}
