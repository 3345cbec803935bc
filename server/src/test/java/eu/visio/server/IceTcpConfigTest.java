package eu.visio.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.visio.server.ServerConfig.IceTcp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ICE-TCP port from the defaults, {@code rtc.tcp_port} and {@code --tcp-port}. */
class IceTcpConfigTest {
  private static final String KEYS = "keys: {prod: \"" + ConfigTest.SECRET + "\"}\n";

  @Test
  void thePortComesFromTheDefaultTheFileOrTheOption() throws Exception {
    record Case(String yaml, List<String> args, IceTcp expected) {}
    List<Case> table =
        List.of(
            new Case("", List.of(), IceTcp.on(7881)),
            new Case("rtc: {tcp_port: 9001}\n", List.of(), IceTcp.on(9001)),
            // As in livekit-server's file, 0 turns ICE-TCP off.
            new Case("rtc: {tcp_port: 0}\n", List.of(), IceTcp.off()),
            new Case("rtc: {tcp_port: 9001}\n", List.of("--tcp-port", "9002"), IceTcp.on(9002)),
            new Case("", List.of("--tcp-port", "0"), IceTcp.off()));
    for (Case c : table) {
      ServerConfig config =
          ConfigTest.resolve(c.yaml() + KEYS, Map.of(), c.args().toArray(String[]::new));
      assertThat(config.iceTcp()).as(c.yaml() + c.args()).isEqualTo(c.expected());
    }
  }

  @Test
  void aBadPortIsRefusedWithTheKeyNamed() {
    assertThatThrownBy(() -> ConfigFile.parse("rtc: {tcp_port: 70000}", null))
        .isInstanceOf(ConfigFile.Invalid.class)
        .hasMessageContaining("rtc.tcp_port: a port from 0 to 65535");
  }

  @Test
  void aServerWithoutCandidatesIsRefused() {
    assertThatThrownBy(() -> IceTcp.off().withoutUdpCandidates())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no ICE candidates");
  }
}
