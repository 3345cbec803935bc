package eu.visio.meet.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contracts on the embedded H2 database (PostgreSQL mode), the default. */
class H2StoreTest extends StoreFixture
    implements RoomsContract,
        RoomRolesContract,
        UsersContract,
        RestartContract,
        SessionsContract,
        LobbyContract {
  @TempDir Path dir;

  @Override
  DatabaseConfig freshConfig() {
    return DatabaseConfig.embedded(dir.resolve("data"));
  }

  @Test
  void theDatabaseIsAFileInTheDataDirectoryReleasedOnClose() throws IOException {
    Path file = dir.resolve("data/meet.mv.db");
    assertThat(file).isRegularFile();
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      // H2 locks its file while open (the JVM sees the overlap)...
      assertThatThrownBy(ch::tryLock).isInstanceOf(OverlappingFileLockException.class);
      database().close();
      // ...and releases it once the pool has closed every connection.
      try (FileLock lock = ch.tryLock()) {
        assertThat(lock).isNotNull();
      }
    }
    reopen();
  }
}
