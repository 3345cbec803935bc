package eu.visio.meet.store;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.meet.room.AccessLevel;
import eu.visio.meet.room.Role;
import eu.visio.meet.room.Room;
import eu.visio.meet.room.RoomKind;
import eu.visio.meet.room.RoomSettings;
import eu.visio.meet.room.User;
import org.junit.jupiter.api.Test;

/** What a server restart must keep: the data, and the schema as it was (no migration re-run). */
interface RestartContract extends StoreAccess {
  /** Migrations in db/migration today (counted, so a new one needs no edit here). */
  int MIGRATIONS = Migrations.count();

  /** The versioned scripts on the class path. */
  final class Migrations {
    private Migrations() {}

    static int count() {
      try (var files =
          java.nio.file.Files.list(
              java.nio.file.Path.of(Database.class.getResource("/db/migration").toURI()))) {
        return (int)
            files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
      } catch (java.io.IOException | java.net.URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  default void dataOutlivesARestartAndMigrationsRunOnce() {
    assertThat(database().migrationsApplied()).as("a new database").isEqualTo(MIGRATIONS);
    User ada = user("ada");
    User bob = user("bob");
    Room room =
        rooms()
            .create(
                ada.id(), "Kept", RoomKind.PERMANENT, AccessLevel.TRUSTED, RoomSettings.DEFAULTS);
    roles().grant(room.id(), bob.id(), Role.ADMINISTRATOR);

    Database reopened = reopen();
    assertThat(reopened.migrationsApplied()).as("a restart").isZero();
    assertThat(
            count(
                "SELECT COUNT(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL"))
        .isEqualTo(MIGRATIONS);
    assertThat(rooms().findByCode(room.code())).contains(room);
    assertThat(users().find(ada.id())).contains(ada);
    assertThat(roles().roleOf(room.id(), bob.id())).contains(Role.ADMINISTRATOR);
    assertThat(rooms().listOwnedBy(ada.id())).containsExactly(room);

    assertThat(reopen().migrationsApplied()).as("and again").isZero();
  }
}
