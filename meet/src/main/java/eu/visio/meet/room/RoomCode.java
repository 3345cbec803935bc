package eu.visio.meet.room;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The code that names a room in links and that people read aloud or type: ten lower-case letters
 * shown as {@code abc-defg-hij}, as Google Meet and La Suite Meet do. Letters only, so it survives
 * dictation and phone keyboards; random from {@link SecureRandom} (26^10, about 47 bits), so codes
 * cannot be guessed from one another. Collisions are left to the store's unique constraint.
 *
 * @param value the canonical form, {@code abc-defg-hij}
 */
public record RoomCode(String value) {
  /** Letters in a code. */
  public static final int LETTERS = 10;

  /** Longest input {@link #parse} looks at: a code with its dashes and some spaces around. */
  static final int MAX_INPUT = 64;

  private static final SecureRandom RANDOM = new SecureRandom();

  public RoomCode {
    if (value == null || value.length() != LETTERS + 2 || !isCanonical(value)) {
      throw new ValidationException("code", "not a room code like abc-defg-hij");
    }
  }

  /** A new random code. */
  public static RoomCode random() {
    return random(RANDOM);
  }

  /** A new code from {@code random} (tests pass a seeded or scripted one). */
  public static RoomCode random(RandomGenerator random) {
    char[] letters = new char[LETTERS];
    for (int i = 0; i < LETTERS; i++) {
      letters[i] = (char) ('a' + random.nextInt(26));
    }
    return new RoomCode(format(letters));
  }

  /**
   * The code someone typed or pasted: case ignored, surrounding spaces ignored, dashes optional but
   * only between the groups of 3, 4 and 3 letters ({@code ABC-DEFG-HIJ}, {@code abcdefghij}, {@code
   * abc-defghij}). Anything else is a {@link ValidationException}.
   */
  public static RoomCode parse(String input) {
    return tryParse(input)
        .orElseThrow(() -> new ValidationException("code", "not a room code like abc-defg-hij"));
  }

  /** {@link #parse}, with empty for input that is not a code (a UUID, a name). */
  public static Optional<RoomCode> tryParse(String input) {
    if (input == null || input.length() > MAX_INPUT) {
      return Optional.empty();
    }
    String s = input.strip();
    char[] letters = new char[LETTERS];
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '-' && (n == 3 || n == 7) && i > 0 && s.charAt(i - 1) != '-') {
        continue;
      }
      // ASCII letters only: Character.toLowerCase would let other scripts' letters through.
      char lower = (c >= 'A' && c <= 'Z') ? (char) (c + ('a' - 'A')) : c;
      if (lower < 'a' || lower > 'z' || n == LETTERS) {
        return Optional.empty();
      }
      letters[n++] = lower;
    }
    if (n != LETTERS) {
      return Optional.empty();
    }
    return Optional.of(new RoomCode(format(letters)));
  }

  private static String format(char[] l) {
    return new StringBuilder(LETTERS + 2)
        .append(l, 0, 3)
        .append('-')
        .append(l, 3, 4)
        .append('-')
        .append(l, 7, 3)
        .toString();
  }

  private static boolean isCanonical(String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      boolean ok = (i == 3 || i == 8) ? c == '-' : c >= 'a' && c <= 'z';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return value;
  }
}
