package eu.visio.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.visio.meet.invite.SmtpConfig;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The {@code smtp} section and {@code public_url}: defaults, the password's sources, mistakes. */
class SmtpConfigTest {
  static ServerConfig resolve(String yaml, Map<String, String> env) throws Exception {
    Main main = new Main();
    new CommandLine(main).parseArgs();
    return main.resolve(ConfigFile.parse(yaml, null), env);
  }

  static final String BASE = "public_url: https://visio.example\n";

  @Test
  void portsDefaultToTheSecuritysUsualOne() throws Exception {
    record Row(String smtp, SmtpConfig.Security security, int port) {}
    List<Row> table =
        List.of(
            new Row("{host: mx, from: a@b.org}", SmtpConfig.Security.STARTTLS, 587),
            new Row("{host: mx, from: a@b.org, security: tls}", SmtpConfig.Security.TLS, 465),
            new Row("{host: mx, from: a@b.org, security: NONE}", SmtpConfig.Security.NONE, 25),
            new Row(
                "{host: mx, from: a@b.org, security: starttls, port: 2525}",
                SmtpConfig.Security.STARTTLS,
                2525));
    for (Row r : table) {
      SmtpConfig c = resolve(BASE + "smtp: " + r.smtp(), Map.of()).smtp().orElseThrow();
      assertThat(c.security()).as(r.smtp()).isEqualTo(r.security());
      assertThat(c.port()).as(r.smtp()).isEqualTo(r.port());
      assertThat(c.host()).isEqualTo("mx");
      assertThat(c.username()).isEmpty();
    }
    assertThat(resolve("", Map.of()).smtp()).isEmpty();
    assertThat(resolve("", Map.of()).publicUrl()).isEmpty();
  }

  @Test
  void thePasswordComesFromTheEnvironmentFirstAndIsNeverPrinted() throws Exception {
    String yaml =
        BASE
            + "smtp: {host: smtp.example, username: visio, password: from-f1le,"
            + " from: \"Visio <no-reply@visio.example>\"}";
    ServerConfig fromFile = resolve(yaml, Map.of());
    assertThat(fromFile.smtp().orElseThrow().password()).contains("from-f1le");
    assertThat(fromFile.smtp().orElseThrow().from()).isEqualTo("Visio <no-reply@visio.example>");
    assertThat(fromFile.publicUrl()).contains(URI.create("https://visio.example"));
    ServerConfig fromEnv = resolve(yaml, Map.of("VISIO_SMTP_PASSWORD", "from-3nv"));
    assertThat(fromEnv.smtp().orElseThrow().password()).contains("from-3nv");
    assertThat(fromFile.toString()).contains("smtp.example").doesNotContain("from-f1le");
    assertThat(fromEnv.toString()).doesNotContain("from-3nv");
    assertThat(ConfigFile.parse(yaml, null).toString()).doesNotContain("from-f1le");
    assertThat(
            resolve(
                    "smtp: {host: mx, username: u, from: a@b.org}",
                    Map.of("VISIO_SMTP_PASSWORD", "p", "VISIO_PUBLIC_URL", "https://env.example"))
                .publicUrl())
        .contains(URI.create("https://env.example"));
  }

  @Test
  void mistakesAreRefusedWithTheKeyNamed() throws Exception {
    record Bad(String yaml, String message) {}
    for (Bad b :
        List.of(
            new Bad("smtp: {from: a@b.org}", "smtp.host"),
            new Bad("smtp: {host: mx}", "smtp.from"),
            new Bad("smtp: {host: mx, from: \"a@b.org\\r\\nBcc: e@v.org\"}", "smtp.from"),
            new Bad("smtp: {host: mx, from: a@b.org, security: ssl}", "smtp.security"),
            new Bad("smtp: {host: mx, from: a@b.org, port: 0}", "smtp.port"),
            new Bad("smtp: {host: mx, from: a@b.org, pass: x}", "unknown key 'pass'"),
            new Bad("public_url: ftp://visio.example", "public_url"))) {
      assertThatThrownBy(() -> ConfigFile.parse(b.yaml(), null))
          .as(b.yaml())
          .isInstanceOf(ConfigFile.Invalid.class)
          .hasMessageContaining(b.message());
    }
    for (Bad b :
        List.of(
            new Bad("smtp: {host: mx, from: a@b.org}", "public_url"),
            new Bad(BASE + "smtp: {host: mx, from: a@b.org, username: u}", "VISIO_SMTP_PASSWORD"),
            new Bad(BASE + "smtp: {host: mx, from: a@b.org, password: s3cr3t}", "username"),
            new Bad("public_url: \"https://visio.example/?x=1\"", "public URL"))) {
      assertThatThrownBy(() -> resolve(b.yaml(), Map.of()))
          .as(b.yaml())
          .isInstanceOf(Main.BadConfig.class)
          .hasMessageContaining(b.message())
          .hasMessageNotContaining("s3cr3t");
    }
  }

  @Test
  void smtpWithoutAPublicUrlIsRefusedInCodeToo() {
    SmtpConfig smtp =
        new SmtpConfig(
            "mx", 25, SmtpConfig.Security.NONE, Optional.empty(), Optional.empty(), "a@b.org");
    assertThatThrownBy(() -> plain().withSmtp(smtp))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("public URL");
    assertThat(plain().withPublicUrl(URI.create("https://v.example")).withSmtp(smtp).smtp())
        .contains(smtp);
  }

  /** A configuration without anything optional. */
  static ServerConfig plain() {
    return new ServerConfig("127.0.0.1", 0, 0, List.of(), true, Optional.empty(), 1);
  }
}
