package eu.visio.meet.store;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.meet.room.AccessLevel;
import eu.visio.meet.room.Role;
import eu.visio.meet.room.Room;
import eu.visio.meet.room.RoomKind;
import eu.visio.meet.room.RoomRole;
import eu.visio.meet.room.RoomSettings;
import eu.visio.meet.room.User;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** {@link RoomRoles} on any backend. */
interface RoomRolesContract extends StoreAccess {
  private Room roomOf(User owner) {
    return rooms()
        .create(
            owner.id(), "Team", RoomKind.PERMANENT, AccessLevel.RESTRICTED, RoomSettings.DEFAULTS);
  }

  private static StoreException.Code codeOf(Runnable r) {
    try {
      r.run();
      return null;
    } catch (StoreException e) {
      return e.code();
    }
  }

  @Test
  default void aUserHasOneRoleOnARoomThatAGrantReplaces() {
    User ada = user("ada");
    User bob = user("bob");
    Room room = roomOf(ada);
    clock().advance(Duration.ofSeconds(1));
    RoomRole member = roles().grant(room.id(), bob.id(), Role.MEMBER);
    assertThat(roles().roleOf(room.id(), bob.id())).contains(Role.MEMBER);
    assertThat(roles().list(room.id()))
        .extracting(RoomRole::userId, RoomRole::role)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(ada.id(), Role.OWNER),
            org.assertj.core.groups.Tuple.tuple(bob.id(), Role.MEMBER));
    assertThat(roles().list(room.id()).get(1)).isEqualTo(member);

    assertThat(roles().grant(room.id(), bob.id(), Role.MEMBER))
        .as("granting the same role again changes nothing")
        .isEqualTo(member);
    clock().advance(Duration.ofSeconds(1));
    RoomRole promoted = roles().grant(room.id(), bob.id(), Role.ADMINISTRATOR);
    assertThat(promoted.grantedAt()).isAfter(member.grantedAt());
    assertThat(roles().roleOf(room.id(), bob.id())).contains(Role.ADMINISTRATOR);
    assertThat(roles().list(room.id())).hasSize(2).contains(promoted);
    assertThat(roles().roleOf(room.id(), user("cy").id())).isEmpty();

    assertThat(
            codeOf(
                () ->
                    execute(
                        "INSERT INTO room_roles (room_id, user_id, role, granted_at) VALUES ('"
                            + room.id()
                            + "', '"
                            + bob.id()
                            + "', 'member', CURRENT_TIMESTAMP)")))
        .as("the schema holds one role per user per room too")
        .isEqualTo(StoreException.Code.CONFLICT);
  }

  @Test
  default void theLastOwnerCannotBeDemotedNorRemoved() {
    User ada = user("ada");
    User bob = user("bob");
    Room room = roomOf(ada);
    assertThat(codeOf(() -> roles().grant(room.id(), ada.id(), Role.ADMINISTRATOR)))
        .isEqualTo(StoreException.Code.CONFLICT);
    assertThat(codeOf(() -> roles().revoke(room.id(), ada.id())))
        .isEqualTo(StoreException.Code.CONFLICT);
    assertThat(roles().roleOf(room.id(), ada.id())).contains(Role.OWNER);

    roles().grant(room.id(), bob.id(), Role.OWNER);
    roles().grant(room.id(), ada.id(), Role.MEMBER);
    assertThat(codeOf(() -> roles().revoke(room.id(), bob.id())))
        .as("bob is now the last owner")
        .isEqualTo(StoreException.Code.CONFLICT);
    roles().revoke(room.id(), ada.id());
    assertThat(roles().list(room.id())).extracting(RoomRole::userId).containsExactly(bob.id());
    assertThat(codeOf(() -> roles().revoke(room.id(), ada.id())))
        .as("nothing left to revoke")
        .isEqualTo(StoreException.Code.NOT_FOUND);
  }

  @Test
  default void rolesNeedARoomAndAUser() {
    User ada = user("ada");
    Room room = roomOf(ada);
    assertThat(codeOf(() -> roles().grant(UUID.randomUUID(), ada.id(), Role.MEMBER)))
        .isEqualTo(StoreException.Code.NOT_FOUND);
    assertThat(codeOf(() -> roles().grant(room.id(), UUID.randomUUID(), Role.MEMBER)))
        .isEqualTo(StoreException.Code.NOT_FOUND);
    assertThat(codeOf(() -> roles().revoke(UUID.randomUUID(), ada.id())))
        .isEqualTo(StoreException.Code.NOT_FOUND);
    assertThat(roles().list(room.id())).hasSize(1);
  }

  /** Two owners leaving at the same moment: one may, the other is then the last owner. */
  @Test
  default void ownersLeavingTogetherStillLeaveAnOwner() throws Exception {
    User ada = user("ada");
    User bob = user("bob");
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      for (int round = 0; round < 10; round++) {
        Room room = roomOf(ada);
        roles().grant(room.id(), bob.id(), Role.OWNER);
        CyclicBarrier together = new CyclicBarrier(2);
        List<CompletableFuture<StoreException.Code>> leaving = new ArrayList<>();
        for (User u : List.of(ada, bob)) {
          leaving.add(
              CompletableFuture.supplyAsync(
                  () ->
                      codeOf(
                          () -> {
                            try {
                              together.await();
                            } catch (Exception e) {
                              throw new IllegalStateException(e);
                            }
                            roles().revoke(room.id(), u.id());
                          }),
                  pool));
        }
        List<StoreException.Code> outcomes = leaving.stream().map(CompletableFuture::join).toList();
        assertThat(outcomes)
            .as("round %d", round)
            .containsExactlyInAnyOrder(null, StoreException.Code.CONFLICT);
        assertThat(roles().list(room.id())).extracting(RoomRole::role).containsExactly(Role.OWNER);
      }
    }
  }
}
