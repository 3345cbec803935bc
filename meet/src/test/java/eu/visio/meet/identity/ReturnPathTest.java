package eu.visio.meet.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class ReturnPathTest {
  @ParameterizedTest(name = "[{0}] -> [{1}]")
  @CsvSource(
      delimiter = '|',
      value = {
        "/abc-defg-hij | /abc-defg-hij",
        "/rooms/x?tab=chat#top | /rooms/x?tab=chat#top",
        "/ | /",
        "'' | /",
        "https://evil.example/ | /",
        "//evil.example/ | /",
        "/\\evil.example | /",
        "/a\\b | /",
        "javascript:alert(1) | /",
        "room | /",
        "'/ /evil' | /",
      })
  void onlyLocalPathsPass(String requested, String expected) {
    assertThat(ReturnPath.sanitize(requested)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"'/\t/evil.example'", "'/\n/evil.example'", "'/\r/evil.example'"})
  void whitespaceBrowsersDropCannotHideADoubleSlash(String requested) {
    assertThat(ReturnPath.sanitize(requested)).isEqualTo("/");
  }

  @Property
  void whateverIsRequestedTheRedirectStaysOnOurHost(@ForAll String requested) {
    String path = ReturnPath.sanitize(requested);
    URI base = URI.create("https://visio.example/");
    URI target;
    try {
      target = base.resolve(path);
    } catch (IllegalArgumentException e) {
      return; // not a URI at all: the REST layer's redirect would fail, not leave our host
    }
    assertThat(target.getHost()).isEqualTo("visio.example");
    assertThat(path).startsWith("/").doesNotStartWith("//").doesNotContain("\\");
  }
}
