package eu.visio.meet.room;

/**
 * Checks for free text people see (room names, full names): present, bounded, and free of what
 * would break a display or a database. Length counts UTF-16 units, never fewer than the characters
 * PostgreSQL counts for {@code VARCHAR(n)}, so a value accepted here fits both databases.
 */
final class Text {
  private Text() {}

  /** {@code value}, or a {@link ValidationException} naming {@code field}. */
  static String check(String field, String value, int maxLength, boolean mayBeEmpty) {
    if (value == null) {
      throw new ValidationException(field, "missing");
    }
    if (value.length() > maxLength) {
      throw new ValidationException(field, "longer than " + maxLength + " characters");
    }
    if (!mayBeEmpty && value.isBlank()) {
      throw new ValidationException(field, "blank");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      // Control characters (NUL is refused by PostgreSQL; line breaks break one-line displays).
      if (Character.isISOControl(c)) {
        throw new ValidationException(field, "control character at " + i);
      }
      // A lone surrogate is not text: UTF-8 cannot encode it, so it would not read back.
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new ValidationException(field, "unpaired surrogate at " + i);
      }
    }
    return value;
  }
}
