package eu.visio.media.datachannel;

/** SCTP payload protocol identifiers of WebRTC data channels (RFC 8831 §8, RFC 8832 §8.1). */
public final class Ppid {
  private Ppid() {}

  public static final long DCEP = 50;
  public static final long STRING = 51;
  public static final long BINARY = 53;

  /** An empty string or binary message travels as one zero byte with these (RFC 8831 §6.6). */
  public static final long STRING_EMPTY = 56;

  public static final long BINARY_EMPTY = 57;
}
