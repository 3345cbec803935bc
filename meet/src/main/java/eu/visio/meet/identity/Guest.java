package eu.visio.meet.identity;

import java.util.Objects;
import java.util.UUID;

/**
 * Someone without an account who joins under a name of their choice. The id is random and lives as
 * long as the guest's session, like La Suite Meet's lobby cookie UUID.
 */
public record Guest(String id, String displayName) implements Principal {
  /** Longest display name kept; longer ones are cut (they are shown in every participant list). */
  public static final int MAX_NAME_CHARS = 64;

  public Guest {
    Objects.requireNonNull(id, "id");
    displayName = cleanName(displayName);
  }

  /** A new guest with a fresh random id. */
  public static Guest named(String displayName) {
    return new Guest("guest-" + UUID.randomUUID(), displayName);
  }

  @Override
  public boolean authenticated() {
    return false;
  }

  /** Control characters stripped, whitespace trimmed, length capped; blank becomes "Guest". */
  static String cleanName(String raw) {
    if (raw == null) {
      return "Guest";
    }
    StringBuilder out = new StringBuilder(Math.min(raw.length(), MAX_NAME_CHARS));
    raw.codePoints()
        .filter(c -> !Character.isISOControl(c) && Character.getType(c) != Character.FORMAT)
        .forEach(out::appendCodePoint);
    String name = out.toString().strip();
    if (name.isEmpty()) {
      return "Guest";
    }
    if (name.codePointCount(0, name.length()) > MAX_NAME_CHARS) {
      name = name.substring(0, name.offsetByCodePoints(0, MAX_NAME_CHARS)).strip();
    }
    return name;
  }
}
