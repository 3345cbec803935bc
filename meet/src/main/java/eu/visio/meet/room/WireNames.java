package eu.visio.meet.room;

import java.util.Locale;

/**
 * Enum constants as the REST API and the database spell them: lower case ({@code screen_share}), as
 * La Suite Meet's API does, so clients written for it read ours.
 */
final class WireNames {
  private WireNames() {}

  static String of(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  static <E extends Enum<E>> E parse(Class<E> type, String field, String wire) {
    if (wire != null) {
      for (E e : type.getEnumConstants()) {
        if (of(e).equals(wire)) {
          return e;
        }
      }
    }
    throw new ValidationException(field, "unknown value");
  }
}
