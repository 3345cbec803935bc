package eu.visio.server.turn;

import eu.visio.server.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The TURN REST secret when none is configured: made once and kept in a file of {@code data_dir},
 * so credentials handed out before a restart still verify after it (a browser in a meeting
 * refreshes its allocation with the credentials it got at join). Several nodes must share one
 * secret: configure it then ({@code turn.secret} or {@code VISIO_TURN_SECRET}).
 */
public final class TurnSecret {
  /** The file's name in {@code data_dir}. */
  public static final String FILE_NAME = "turn-secret";

  private static final int RANDOM_BYTES = 32;

  private TurnSecret() {}

  /** The secret in {@code file}, made there (owner-only) if the file does not exist. */
  public static String loadOrCreate(Path file) {
    try {
      if (!Files.exists(file)) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
          Files.createDirectories(dir);
        }
        try {
          write(file, random());
        } catch (FileAlreadyExistsException e) {
          // Another process made it first: use theirs.
        }
      }
      String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (secret.getBytes(StandardCharsets.UTF_8).length < ServerConfig.Turn.MIN_SECRET_BYTES) {
        throw new IllegalStateException(
            "the TURN secret in "
                + file
                + " is shorter than "
                + ServerConfig.Turn.MIN_SECRET_BYTES
                + " bytes: delete the file to have a new one made");
      }
      return secret;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read or create the TURN secret " + file, e);
    }
  }

  /** A fresh random secret (43 characters of base64url: 256 bits). */
  public static String random() {
    byte[] b = new byte[RANDOM_BYTES];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static void write(Path file, String secret) throws IOException {
    boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (posix) {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, secret + "\n", StandardOpenOption.WRITE);
    } else {
      Files.writeString(file, secret + "\n", StandardOpenOption.CREATE_NEW);
    }
  }
}
