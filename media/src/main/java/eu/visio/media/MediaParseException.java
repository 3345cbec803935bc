package eu.visio.media;

/**
 * The one checked error a media codec throws for bad input. Each codec subclasses it, so a fuzz
 * test can assert that random bytes never raise anything else. Carries a short, stable reason that
 * is safe to count or log (never the input bytes).
 */
public class MediaParseException extends Exception {
  private static final long serialVersionUID = 1L;

  public MediaParseException(String reason) {
    super(reason, null, false, false);
  }
}
