package eu.visio.media.sdp;

import java.util.Objects;

/**
 * A generic {@code a=name[:value]} attribute (RFC 8866 section 5.13), kept verbatim when the model
 * has no typed field for it, so unknown attributes survive a round trip.
 *
 * @param name attribute name
 * @param value text after the first colon, or null for a property attribute such as {@code
 *     a=bundle-only}
 */
public record Attribute(String name, String value) {
  public Attribute {
    Objects.requireNonNull(name, "name");
  }

  /** A property attribute without a value. */
  public static Attribute flag(String name) {
    return new Attribute(name, null);
  }

  /** The text after {@code a=}. */
  public String format() {
    return value == null ? name : name + ":" + value;
  }

  static Attribute parse(String text) {
    int colon = text.indexOf(':');
    return colon < 0
        ? new Attribute(text, null)
        : new Attribute(text.substring(0, colon), text.substring(colon + 1));
  }
}
