package eu.visio.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * How long a drain waits ({@code Main.drainTimeout}): {@code --drain-timeout}, else the file's
 * {@code drain_timeout}, else 30 s; whole seconds from 1 to 3600 either way, anything else refused
 * naming the setting.
 */
class DrainTimeoutConfigTest {
  @ParameterizedTest(name = "file {0}, option {1}: {2} s")
  @CsvSource({
    "'',                  '',   30",
    "'drain_timeout: 1',  '',   1",
    "'drain_timeout: 45', '',   45",
    "'drain_timeout: 3600', '', 3600",
    "'',                  '7',  7",
    "'drain_timeout: 45', '7',  7",
    "'drain_timeout: 45', '3600', 3600",
  })
  void theOptionThenTheFileThenThirtySeconds(String yaml, String option, int seconds)
      throws Exception {
    assertThat(drainTimeout(yaml, option)).isEqualTo(Duration.ofSeconds(seconds));
  }

  @ParameterizedTest(name = "drain_timeout: {0}")
  @ValueSource(
      strings = {"0", "-1", "3601", "99999999999", "1.5", "'30'", "30s", "true", "[30]", "{}"})
  void aFileValueOtherThanWholeSecondsWithinAnHourIsRefused(String value) {
    assertThatThrownBy(() -> ConfigFile.parse("drain_timeout: " + value + "\n", null))
        .isInstanceOf(ConfigFile.Invalid.class)
        .hasMessageStartingWith("drain_timeout: ");
  }

  @ParameterizedTest(name = "--drain-timeout {0}")
  @ValueSource(strings = {"0", "-1", "3601"})
  void anOptionOutsideAnHourIsRefused(String value) {
    assertThatThrownBy(() -> drainTimeout("drain_timeout: 45", value))
        .isInstanceOf(Main.BadConfig.class)
        .hasMessage("--drain-timeout: seconds from 1 to 3600");
  }

  private static Duration drainTimeout(String yaml, String option) throws Exception {
    Main main = new Main();
    new CommandLine(main)
        .parseArgs(option.isEmpty() ? new String[0] : new String[] {"--drain-timeout", option});
    return main.drainTimeout(ConfigFile.parse(yaml, null));
  }
}
