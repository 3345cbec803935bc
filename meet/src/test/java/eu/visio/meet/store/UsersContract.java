package eu.visio.meet.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.visio.meet.room.User;
import eu.visio.meet.room.ValidationException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@link Users} on any backend. */
interface UsersContract extends StoreAccess {
  String ISSUER = "https://id.example";

  @Test
  default void theFirstSignInCreatesTheUser() {
    User ada = users().signIn(ISSUER, "sub-1", "ada@example.org", "Ada Lovelace");
    assertThat(ada.createdAt()).isEqualTo(TestClock.START.truncatedTo(ChronoUnit.MICROS));
    assertThat(ada.email()).isEqualTo("ada@example.org");
    assertThat(users().find(ada.id())).contains(ada);
    assertThat(users().findByIdentity(ISSUER, "sub-1")).contains(ada);
    assertThat(users().find(UUID.randomUUID())).isEmpty();
    assertThat(users().findByIdentity(ISSUER, "sub-2")).isEmpty();
  }

  @Test
  default void laterSignInsKeepTheIdAndTakeTheProvidersProfile() {
    User first = users().signIn(ISSUER, "sub-1", "ada@example.org", "Ada");
    clock().advance(Duration.ofDays(1));
    User again = users().signIn(ISSUER, "sub-1", "ada@lovelace.example", "Ada Lovelace");
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(again.createdAt()).isEqualTo(first.createdAt());
    assertThat(again.email()).isEqualTo("ada@lovelace.example");
    assertThat(again.fullName()).isEqualTo("Ada Lovelace");
    assertThat(users().find(first.id())).contains(again);
    User noProfile = users().signIn(ISSUER, "sub-1", "", "");
    assertThat(noProfile.email()).isEmpty();
    assertThat(count("SELECT COUNT(*) FROM users")).isEqualTo(1);
  }

  @Test
  default void aSubjectIsOnlyUniqueWithinItsIssuer() {
    User here = users().signIn(ISSUER, "sub-1", "a@example.org", "A");
    User there = users().signIn("https://other.example", "sub-1", "a@example.org", "A");
    assertThat(there.id()).isNotEqualTo(here.id());
    assertThat(users().signIn("https://other.example", "SUB-1", "", "").id())
        .as("subjects are compared exactly")
        .isNotEqualTo(there.id());
  }

  @Test
  default void refusedProfilesAreNotStored() {
    assertThatThrownBy(() -> users().signIn(ISSUER, "", "a@example.org", "A"))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> users().signIn(ISSUER, "sub-1", "a@example.org", "A\u0000"))
        .isInstanceOf(ValidationException.class);
    assertThat(count("SELECT COUNT(*) FROM users")).isZero();
  }

  @Test
  default void firstSignInsAtOnceMakeOneUser() throws Exception {
    int n = 4;
    for (int round = 0; round < 5; round++) {
      String subject = "racer-" + round;
      CyclicBarrier together = new CyclicBarrier(n);
      try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
        List<CompletableFuture<UUID>> ids =
            IntStream.range(0, n)
                .mapToObj(
                    i ->
                        CompletableFuture.supplyAsync(
                            () -> {
                              try {
                                together.await();
                              } catch (Exception e) {
                                throw new IllegalStateException(e);
                              }
                              return users().signIn(ISSUER, subject, "", "Racer " + i).id();
                            },
                            pool))
                .toList();
        assertThat(ids.stream().map(CompletableFuture::join).distinct()).hasSize(1);
      }
    }
    assertThat(count("SELECT COUNT(*) FROM users")).isEqualTo(5);
  }
}
