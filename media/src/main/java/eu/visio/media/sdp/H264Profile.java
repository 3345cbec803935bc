package eu.visio.media.sdp;

import java.util.Map;

/**
 * H.264 fmtp matching per RFC 6184 section 8.1: the profile is derived from profile_idc and the
 * constraint flags of {@code profile-level-id}; the level is not compared because an answer that
 * echoes the offered value is always acceptable and {@code level-asymmetry-allowed} lets each side
 * send at its own level.
 */
final class H264Profile {
  /** Default when profile-level-id is absent: Baseline, level 1.0 (RFC 6184 section 8.1). */
  static final String DEFAULT_PROFILE_LEVEL_ID = "420010";

  private static final int CONSTRAINED_BASELINE = 0;
  private static final int BASELINE = 1;
  private static final int MAIN = 2;
  private static final int CONSTRAINED_HIGH = 3;
  private static final int HIGH = 4;

  private H264Profile() {}

  /**
   * Rank of an offered H.264 format: negative when not acceptable (packetization-mode other than 1,
   * malformed or unsupported profile), otherwise lower is better with constrained baseline first.
   */
  static int rank(Map<String, String> fmtp) {
    if (!fmtp.getOrDefault("packetization-mode", "0").equals("1")) {
      return -1;
    }
    return profile(fmtp.getOrDefault("profile-level-id", DEFAULT_PROFILE_LEVEL_ID));
  }

  /** Profile class of a six-hex-digit profile-level-id, or -1. */
  static int profile(String profileLevelId) {
    if (profileLevelId.length() != 6) {
      return -1;
    }
    int value;
    try {
      value = Integer.parseInt(profileLevelId, 16);
    } catch (NumberFormatException e) {
      return -1;
    }
    int profileIdc = value >>> 16;
    int iop = (value >>> 8) & 0xFF;
    boolean cs0 = (iop & 0x80) != 0;
    boolean cs1 = (iop & 0x40) != 0;
    boolean cs4 = (iop & 0x08) != 0;
    boolean cs5 = (iop & 0x04) != 0;
    return switch (profileIdc) {
      // Baseline (66): constraint_set1 restricts it to the Constrained Baseline subset.
      case 0x42 -> cs1 ? CONSTRAINED_BASELINE : BASELINE;
      // Main (77) with constraint_set0 also conforms to Constrained Baseline.
      case 0x4D -> cs0 ? CONSTRAINED_BASELINE : MAIN;
      // Extended (88) with constraint_set0 and 1 is Constrained Baseline, with 0 only Baseline.
      case 0x58 -> cs0 && cs1 ? CONSTRAINED_BASELINE : cs0 ? BASELINE : -1;
      // High (100) with constraint_set4 and 5 is Constrained High.
      case 0x64 -> cs4 && cs5 ? CONSTRAINED_HIGH : HIGH;
      default -> -1;
    };
  }
}
