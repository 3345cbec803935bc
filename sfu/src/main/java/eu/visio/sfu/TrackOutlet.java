package eu.visio.sfu;

import eu.visio.media.rtp.RtpPacket;

/**
 * Something a {@link PublishedTrack} copies every packet and sender report into besides its down
 * tracks: a {@link TrackPipe} to a room shard on another worker, or a cascade link to another node
 * ({@code eu.visio.sfu.cascade}). Called on the track's worker, once per packet, so it must not
 * block or allocate.
 */
public interface TrackOutlet {
  /** A packet of encoding {@code encoding} (the publisher's original; RTX already unwrapped). */
  void offerRtp(RtpPacket p, int encoding);

  /** A sender report of the track's, already serialized into {@code b}. */
  void offerSenderReport(byte[] b, int off, int len);
}
