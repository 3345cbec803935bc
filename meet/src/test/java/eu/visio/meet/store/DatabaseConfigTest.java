package eu.visio.meet.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DatabaseConfigTest {
  @Test
  void theEmbeddedDatabaseIsH2InPostgresModeInTheDataDirectory() {
    DatabaseConfig c = DatabaseConfig.embedded(Path.of("/var/lib/visio/data"));
    assertThat(c.isEmbedded()).isTrue();
    assertThat(c.url())
        .isEqualTo(
            "jdbc:h2:file:/var/lib/visio/data/meet"
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
  }

  @Test
  void aDirectoryCannotSmuggleH2Settings() {
    assertThatThrownBy(() -> DatabaseConfig.embedded(Path.of("/tmp/x;INIT=RUNSCRIPT FROM 'y'")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void postgresIsUsedAsConfiguredAndItsPasswordNeverPrinted() {
    DatabaseConfig c =
        DatabaseConfig.postgres("jdbc:postgresql://db.internal:5432/visio", "visio", "s3cret!");
    assertThat(c.isEmbedded()).isFalse();
    assertThat(c.url()).isEqualTo("jdbc:postgresql://db.internal:5432/visio");
    assertThat(c.toString()).contains("db.internal", "visio").doesNotContain("s3cret!");
    assertThatThrownBy(() -> DatabaseConfig.postgres("jdbc:mysql://db/visio", "u", "p"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aDatabaseThatCannotBeReachedIsUnavailable() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    DatabaseConfig c =
        DatabaseConfig.postgres("jdbc:postgresql://127.0.0.1:" + closedPort + "/visio", "u", "p");
    assertThatThrownBy(() -> Database.open(c))
        .isInstanceOf(StoreException.class)
        .extracting(e -> ((StoreException) e).code())
        .isEqualTo(StoreException.Code.UNAVAILABLE);
  }

  @ParameterizedTest(name = "SQLSTATE {0} → {1}")
  @CsvSource({
    "23505, CONFLICT", // unique violation
    "23503, NOT_FOUND", // PostgreSQL: foreign key, parent missing
    "23506, NOT_FOUND", // H2: the same
    "23514, INVALID", // PostgreSQL: check
    "23513, INVALID", // H2: check
    "23502, INVALID", // not null
    "22001, INVALID", // value too long
    "08001, UNAVAILABLE", // cannot connect
    "40001, UNAVAILABLE", // serialization failure: not the client's fault
    "'', UNAVAILABLE",
  })
  void driverErrorsMapToStableCodes(String sqlState, StoreException.Code code) {
    SQLException e = new SQLException("x", sqlState.isEmpty() ? null : sqlState);
    assertThat(Jdbc.translate(e).code()).isEqualTo(code);
    assertThat(Jdbc.translate(e).getCause()).isSameAs(e);
  }
}
