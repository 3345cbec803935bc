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
  /** Migrations in db/migration today (V1, V3: V2 is another change's). */
  int MIGRATIONS = 2;

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
