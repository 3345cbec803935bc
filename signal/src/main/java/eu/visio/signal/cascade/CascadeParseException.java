package eu.visio.signal.cascade;

/** A cascade message that does not decode: dropped and counted by the receiver. */
public final class CascadeParseException extends Exception {
  private static final long serialVersionUID = 1L;

  public CascadeParseException(String message) {
    super(message);
  }
}
