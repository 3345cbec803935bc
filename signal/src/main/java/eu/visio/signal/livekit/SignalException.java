package eu.visio.signal.livekit;

/** A signalling message or parameter was refused; the message says why in a few words. */
public final class SignalException extends Exception {
  private static final long serialVersionUID = 1L;

  public SignalException(String reason) {
    super(reason);
  }
}
