package eu.visio.loadtest.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.visio.media.dtls.DtlsParseException;
import eu.visio.media.dtls.DtlsRole;
import eu.visio.media.sdp.Setup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The janus target's pieces that need no Janus, and how it fails when Janus cannot run. */
class JanusTargetTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // plan | publishes | recvAudio | recvVideo | publisher index | feeds
        "meeting participant 1 of 3 | true  | 2 | 2 | 1  | 1,3",
        "meeting viewer of 3        | false | 3 | 3 | -1 | 1,2,3",
        "audio listener of 2        | false | 2 | 0 | -1 | 1,2",
        "livestream viewer          | false | 1 | 1 | -1 | 1",
      })
  void aBotSubscribesToEveryOtherPublisher(
      String name, boolean publishes, int recvAudio, int recvVideo, int index, String feeds) {
    BotPlan plan = new BotPlan("r", "b", publishes, publishes, 3, recvAudio, recvVideo, 2);
    assertThat(JanusTarget.feedsFor(plan, index))
        .containsExactlyElementsOf(
            java.util.Arrays.stream(feeds.split(",")).map(Long::valueOf).toList());
  }

  @Test
  void aSpeakerWhoReceivesNothingSubscribesToNothing() {
    assertThat(JanusTarget.feedsFor(new BotPlan("r", "pub-0", true, false, 3, 0, 0, 2), 0))
        .isEmpty();
  }

  @ParameterizedTest(name = "offer {0}: we are {1}")
  @CsvSource({"ACTPASS, CLIENT", "PASSIVE, CLIENT", "ACTIVE, SERVER"})
  void theAnswerersDtlsRole(Setup offered, DtlsRole ours) throws Exception {
    assertThat(JanusTarget.answerRole(offered)).isEqualTo(ours);
  }

  @Test
  void anOfferWithoutAUsableSetupIsRefused() {
    assertThatThrownBy(() -> JanusTarget.answerRole(null)).isInstanceOf(DtlsParseException.class);
    assertThatThrownBy(() -> JanusTarget.answerRole(Setup.HOLDCONN))
        .isInstanceOf(DtlsParseException.class);
  }

  @Test
  void findsTheLibrariesUnderTheBinarysPrefix(@TempDir Path tmp) throws Exception {
    Path binary = fakeJanus(tmp, "exit 0");
    assertThat(JanusTarget.libDir(binary)).isEqualTo(tmp.resolve("lib/x86_64-linux-gnu/janus"));
  }

  @Test
  void anAbsentJanusFailsSayingSoWhenNotToInstall(@TempDir Path tmp) {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    JanusTarget t =
        new JanusTarget(
            tmp.resolve("bin/janus"), false, new PrintStream(log, true, StandardCharsets.UTF_8));
    assertThatThrownBy(() -> t.start(tmp))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Janus is not installed")
        .hasMessageContaining("apt-get install janus");
  }

  @Test
  void aJanusThatExitsFailsWithItsLog(@TempDir Path tmp) throws Exception {
    Path binary = fakeJanus(tmp, "echo \"[FATAL] cannot bind the media ports\"; exit 3");
    JanusTarget t =
        new JanusTarget(
            binary,
            false,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    Path work = Files.createDirectories(tmp.resolve("work"));
    assertThatThrownBy(() -> t.start(work))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Janus exited with 3")
        .hasMessageContaining("cannot bind the media ports");
  }

  /** PREFIX/bin/janus running {@code script}, and PREFIX/lib/x86_64-linux-gnu/janus/plugins. */
  private static Path fakeJanus(Path prefix, String script) throws IOException {
    Path plugins = Files.createDirectories(prefix.resolve("lib/x86_64-linux-gnu/janus/plugins"));
    Files.createFile(plugins.resolve("libjanus_videoroom.so"));
    Files.createDirectories(prefix.resolve("lib/x86_64-linux-gnu/janus/transports"));
    Path binary = Files.createDirectories(prefix.resolve("bin")).resolve("janus");
    Files.writeString(binary, "#!/bin/sh\n" + script + "\n");
    Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));
    return binary;
  }

  @Test
  void theJanusTargetIsNamedForTheReport() {
    assertThat(new JanusTarget().name()).isEqualTo("janus");
    assertThat(new JanusTarget().webrtc()).isTrue();
  }
}
