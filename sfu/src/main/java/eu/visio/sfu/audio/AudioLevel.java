package eu.visio.sfu.audio;

import eu.visio.media.rtp.RtpPacket;

/**
 * Reads the client-to-mixer audio level header extension (RFC 6464, {@code
 * urn:ietf:params:rtp-hdrext:ssrc-audio-level}) from an RTP packet, without allocating.
 *
 * <pre>
 *  0 1 2 3 4 5 6 7
 * +-+-+-+-+-+-+-+-+
 * |V|    level    |
 * +-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>{@code level} is the frame's loudness in -dBov, 0 (loudest) to 127 (silence, RFC 6464 §3);
 * {@code V} is the sender's voice activity decision, only meaningful when the {@code vad=on} extmap
 * attribute was negotiated (§4). The value is read as one packed int so that a caller needs no
 * holder object: {@link #read} returns {@code V << 7 | level}, or {@link #ABSENT}.
 */
public final class AudioLevel {
  /** Returned by {@link #read} when the extension is not there or is not exactly one byte long. */
  public static final int ABSENT = -1;

  /** The quietest level: digital silence (RFC 6464 §3). */
  public static final int SILENT_DBOV = 127;

  private AudioLevel() {}

  /**
   * The packed extension value of {@code packet} ({@code V << 7 | level}, 0..255), or {@link
   * #ABSENT} when {@code extensionId} was not negotiated (0), the packet does not carry it, or it
   * is malformed. RFC 6464 §3 defines a one-byte value; a longer or empty element is refused rather
   * than guessed at, since reading the wrong byte would invent a loud speaker.
   */
  public static int read(RtpPacket packet, int extensionId) {
    if (extensionId <= 0 || packet.extensionLength(extensionId) != 1) {
      return ABSENT;
    }
    return packet.buffer()[packet.extensionOffset(extensionId)] & 0xFF;
  }

  /** The level of a packed value from {@link #read}, in -dBov (0..127). */
  public static int level(int packed) {
    return packed & 0x7F;
  }

  /** The V bit of a packed value from {@link #read}. */
  public static boolean voiceActivity(int packed) {
    return (packed & 0x80) != 0;
  }
}
