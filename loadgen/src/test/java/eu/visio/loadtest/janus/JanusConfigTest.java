package eu.visio.loadtest.janus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The configuration Janus is started with, as files, for an installation like Debian's. */
class JanusConfigTest {
  static final Path LIB = Path.of("/usr/lib/x86_64-linux-gnu/janus");

  /** Debian's janus 1.1.2 library folders, each plugin with its versioned links. */
  static final Map<String, List<String>> DEBIAN =
      Map.of(
          "plugins",
          List.of(
              "libjanus_audiobridge.so",
              "libjanus_audiobridge.so.1",
              "libjanus_audiobridge.so.1.1.2",
              "libjanus_echotest.so",
              "libjanus_videoroom.so",
              "libjanus_videoroom.so.1",
              "libjanus_streaming.so"),
          "transports",
          List.of("libjanus_http.so", "libjanus_http.so.1", "libjanus_websockets.so"),
          "events",
          List.of("libjanus_sampleevh.so"),
          "loggers",
          List.of("libjanus_jsonlog.so", "libjanus_jsonlog.so.1"));

  final JanusConfig config = new JanusConfig(LIB, "192.0.2.2", 36071, 40000, 49999, 2);
  final Map<String, String> files = config.files(Path.of("/tmp/conf"), DEBIAN);

  @Test
  void threeFiles() {
    assertThat(files.keySet())
        .containsExactly("janus.jcfg", "janus.transport.http.jcfg", "janus.plugin.videoroom.jcfg");
  }

  @Test
  void onlyTheVideoRoomAndHttpAreLoaded() {
    String jcfg = files.get("janus.jcfg");
    assertThat(jcfg)
        .contains(
            "plugins: {\n  disable = \"libjanus_audiobridge.so,libjanus_echotest.so,"
                + "libjanus_streaming.so\"\n}")
        .contains("transports: {\n  disable = \"libjanus_websockets.so\"\n}")
        .contains("disable = \"libjanus_sampleevh.so\"")
        .contains("loggers: {\n  disable = \"libjanus_jsonlog.so\"\n}")
        .contains("broadcast = false");
  }

  @Test
  void iceLiteOnOneAddressAFixedPortRangeAndLowLogging() {
    String jcfg = files.get("janus.jcfg");
    assertThat(jcfg)
        .contains("ice_lite = true")
        .contains("ice_tcp = false")
        .contains("ice_enforce_list = \"192.0.2.2\"")
        .contains("interface = \"192.0.2.2\"")
        .contains("ipv6 = false")
        .contains("rtp_port_range = \"40000-49999\"")
        .contains("debug_level = 2")
        .contains("configs_folder = \"/tmp/conf\"")
        .contains("plugins_folder = \"/usr/lib/x86_64-linux-gnu/janus/plugins\"");
  }

  @Test
  void httpOnLoopbackOnlyWithoutAdminApi() {
    assertThat(files.get("janus.transport.http.jcfg"))
        .contains("port = 36071")
        .contains("ip = \"127.0.0.1\"")
        .contains("https = false")
        .contains("admin_http = false");
  }

  @Test
  void writesTheFilesForWhatIsInstalled(@TempDir Path tmp) throws Exception {
    Path lib = tmp.resolve("lib");
    for (String folder : List.of("plugins", "transports")) {
      Files.createDirectories(lib.resolve(folder));
    }
    Files.createFile(lib.resolve("plugins/libjanus_videoroom.so"));
    Files.createFile(lib.resolve("plugins/libjanus_sip.so"));
    Files.createFile(lib.resolve("transports/libjanus_http.so"));
    Path conf = Files.createDirectories(tmp.resolve("conf"));
    new JanusConfig(lib, "10.0.0.1", 8088, 20000, 20100, 3).write(conf);
    String jcfg = Files.readString(conf.resolve("janus.jcfg"));
    assertThat(jcfg).contains("plugins: {\n  disable = \"libjanus_sip.so\"\n}");
    assertThat(jcfg).contains("transports: {\n  disable = \"\"\n}");
    assertThat(conf.resolve("janus.transport.http.jcfg")).exists();
    assertThat(conf.resolve("janus.plugin.videoroom.jcfg")).exists();
  }

  @ParameterizedTest(name = "http {0}, rtp {1}-{2}, debug {3}")
  @CsvSource({
    "0, 40000, 49999, 2",
    "70000, 40000, 49999, 2",
    "8088, 1000, 49999, 2",
    "8088, 40000, 39999, 2",
    "8088, 40000, 70000, 2",
    "8088, 40000, 49999, 8"
  })
  void refusesOutOfRangeSettings(int http, int min, int max, int debug) {
    assertThatThrownBy(() -> new JanusConfig(LIB, "10.0.0.1", http, min, max, debug))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesAPathItCannotQuote() {
    JanusConfig c = new JanusConfig(Path.of("/opt/ja\"nus"), "10.0.0.1", 8088, 40000, 49999, 2);
    assertThatThrownBy(() -> c.files(Path.of("/tmp"), DEBIAN))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
