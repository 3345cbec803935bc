package eu.visio.meet.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.visio.meet.identity.Guest;
import eu.visio.meet.identity.Identity;
import eu.visio.meet.identity.Session;
import eu.visio.meet.identity.SessionCookie;
import eu.visio.meet.identity.SessionStore;
import eu.visio.meet.identity.SessionStoreContract;
import eu.visio.meet.identity.Sessions;
import eu.visio.meet.identity.SignedIn;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The session store contract on the database ({@link JdbcSessionStore}), and what only a database
 * can show: what the table holds, sessions outliving a restart, a failing database.
 */
interface SessionsContract extends StoreAccess, SessionStoreContract {
  @Override
  default SessionStore store(int capacity) {
    return new JdbcSessionStore(database().dataSource(), capacity);
  }

  private Sessions sessions() {
    return new Sessions(new SessionCookie(true), Sessions.DEFAULT_LIFETIME, store(1000), clock());
  }

  /** Every value of every row of {@code sessions}, as text. */
  private List<String> sessionsTable() {
    return Jdbc.transaction(
        database().dataSource(),
        c -> {
          List<String> values = new ArrayList<>();
          try (var s = c.createStatement();
              var r = s.executeQuery("SELECT * FROM sessions")) {
            int columns = r.getMetaData().getColumnCount();
            while (r.next()) {
              for (int i = 1; i <= columns; i++) {
                values.add(String.valueOf(r.getObject(i)));
              }
            }
          }
          return values;
        });
  }

  @Test
  default void theTableHoldsTheIdsDigestNeverTheId() throws Exception {
    Session session =
        sessions()
            .start(
                new SignedIn(
                    new Identity("https://id.example", "sub-ana", "ana@example.org", "Ana"),
                    "/",
                    "header.claims.signature"));
    String digest =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                MessageDigest.getInstance("SHA-256")
                    .digest(session.id().getBytes(StandardCharsets.US_ASCII)));

    List<String> values = sessionsTable();
    assertThat(values).isNotEmpty().noneMatch(v -> v.contains(session.id()));
    assertThat(count("SELECT COUNT(*) FROM sessions WHERE id_digest = '" + digest + "'"))
        .isEqualTo(1);
  }

  @Test
  default void thePrincipalIsSpelledOutInColumns() {
    Sessions sessions = sessions();
    sessions.start(new Identity("https://id.example", "sub-ana", "ana@example.org", "Ana"));
    Guest bob = Guest.named("Bob");
    sessions.start(bob);
    assertThat(
            count(
                "SELECT COUNT(*) FROM sessions WHERE kind = 'identity'"
                    + " AND issuer = 'https://id.example' AND subject = 'sub-ana'"
                    + " AND email = 'ana@example.org' AND full_name = 'Ana'"
                    + " AND guest_id IS NULL AND display_name IS NULL AND id_token IS NULL"))
        .isEqualTo(1);
    assertThat(
            count(
                "SELECT COUNT(*) FROM sessions WHERE kind = 'guest' AND guest_id = '"
                    + bob.id()
                    + "' AND display_name = 'Bob' AND issuer IS NULL AND subject IS NULL"))
        .isEqualTo(1);
    assertThatThrownBy(() -> execute("UPDATE sessions SET kind = 'identity' WHERE kind = 'guest'"))
        .as("a guest row with an identity's kind")
        .isInstanceOf(StoreException.class)
        .extracting(e -> ((StoreException) e).code())
        .isEqualTo(StoreException.Code.INVALID);
  }

  @Test
  default void sessionsOutliveARestart() {
    Session ana =
        sessions().start(new Identity("https://id.example", "sub-ana", "ana@example.org", "Ana"));
    Session guest = sessions().start(Guest.named("Bob"));

    reopen();
    Sessions after = sessions();
    Session found = after.find(ana.id()).orElseThrow();
    assertThat(found.principal()).isEqualTo(ana.principal());
    assertThat(found.created()).isEqualTo(ana.created());
    assertThat(found.expires()).isEqualTo(ana.expires());
    assertThat(after.csrfOk(found, ana.csrfToken())).isTrue();
    assertThat(after.find(guest.id()).orElseThrow().principal()).isEqualTo(guest.principal());

    after.end(guest.id());
    reopen();
    assertThat(sessions().find(guest.id())).as("an ended session stays ended").isEmpty();
    assertThat(sessions().find(ana.id())).isPresent();
  }

  @Test
  default void anUnreachableDatabaseIsAFailureNotAMissingSession() {
    Sessions sessions = sessions();
    Session ana =
        sessions.start(new Identity("https://id.example", "sub-ana", "ana@example.org", "Ana"));
    database().close();
    assertThatThrownBy(() -> sessions.find(ana.id()))
        .isInstanceOf(StoreException.class)
        .extracting(e -> ((StoreException) e).code())
        .isEqualTo(StoreException.Code.UNAVAILABLE);
    // A malformed cookie never reaches the database.
    assertThat(sessions.fromCookieHeader("__Host-visio_session=nope")).isEmpty();
    reopen();
    assertThat(sessions().find(ana.id())).isPresent();
  }

  @Test
  default void theOldestSessionsGiveWayPastTheCapacity() {
    Sessions small = new Sessions(new SessionCookie(true), Duration.ofHours(12), store(2), clock());
    Session first = small.start(Guest.named("1"));
    clock().advance(Duration.ofSeconds(1));
    Session second = small.start(Guest.named("2"));
    clock().advance(Duration.ofSeconds(1));
    Session third = small.start(Guest.named("3"));
    assertThat(count("SELECT COUNT(*) FROM sessions")).isEqualTo(2);
    assertThat(small.find(first.id())).isEmpty();
    assertThat(small.find(second.id())).isPresent();
    assertThat(small.find(third.id())).isPresent();
  }
}
