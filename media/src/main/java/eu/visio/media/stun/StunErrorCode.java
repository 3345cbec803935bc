package eu.visio.media.stun;

/** ERROR-CODE values used by STUN and ICE, with the reason phrases RFC 8489 §14.8 suggests. */
public final class StunErrorCode {
  public static final int TRY_ALTERNATE = 300;
  public static final int BAD_REQUEST = 400;
  public static final int UNAUTHENTICATED = 401;
  public static final int UNKNOWN_ATTRIBUTE = 420;
  public static final int STALE_NONCE = 438;

  /** RFC 8445 §7.3.1.1. */
  public static final int ROLE_CONFLICT = 487;

  public static final int SERVER_ERROR = 500;

  private StunErrorCode() {}

  /** The RFC's recommended reason phrase for {@code code}, or "Error" for others. */
  public static String defaultReason(int code) {
    return switch (code) {
      case TRY_ALTERNATE -> "Try Alternate";
      case BAD_REQUEST -> "Bad Request";
      case UNAUTHENTICATED -> "Unauthenticated";
      case UNKNOWN_ATTRIBUTE -> "Unknown Attribute";
      case STALE_NONCE -> "Stale Nonce";
      case ROLE_CONFLICT -> "Role Conflict";
      case SERVER_ERROR -> "Server Error";
      default -> "Error";
    };
  }
}
