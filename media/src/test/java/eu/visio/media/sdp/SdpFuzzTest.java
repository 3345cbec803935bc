package eu.visio.media.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.statistics.Statistics;

/**
 * Random and mutated text never escapes the parser as anything but {@link SdpParseException}; what
 * parses round-trips, and what parses can be answered or rejected cleanly.
 */
class SdpFuzzTest {
  private static final String INTERESTING = "=: /;,~\r\n\t0123456789amvostc-*\u0000\u00e9{}";
  private static final List<AnswerPolicy> POLICIES =
      List.of(
          AnswerPolicy.whipIngest().withDataChannel(true, 65_536),
          AnswerPolicy.whepEgress(
              List.of(
                  new LocalTrack(MediaKind.AUDIO, List.of(CodecId.OPUS), 1, 0, "s", "a", "c"),
                  new LocalTrack(
                      MediaKind.VIDEO, List.of(CodecId.H264, CodecId.VP8), 2, 3, "s", "v", "c"))));

  @Property(tries = 1000)
  void randomTextOnlyThrowsParseException(@ForAll @StringLength(max = 3000) String text) {
    check(text);
  }

  @Property(tries = 1000)
  void randomLinesOnlyThrowParseException(@ForAll("sdpLike") String text) {
    check(text);
  }

  @Property(tries = 3000)
  void mutatedOffersOnlyThrowParseException(@ForAll("mutated") String text) {
    Statistics.label("outcome").collect(check(text) ? "parsed" : "rejected");
    // Both paths must be exercised, or the property proves nothing about one of them.
    Statistics.label("outcome")
        .coverage(
            c -> {
              c.check("parsed").percentage(p -> p > 10);
              c.check("rejected").percentage(p -> p > 10);
            });
  }

  @Provide
  Arbitrary<String> sdpLike() {
    Arbitrary<String> line =
        Arbitraries.strings().withChars(INTERESTING + "abcdefgh").ofMaxLength(40);
    return line.list()
        .ofMaxSize(40)
        .map(
            lines ->
                "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n" + String.join("\r\n", lines));
  }

  @Provide
  Arbitrary<String> mutated() {
    return Arbitraries.of(Fixtures.ALL)
        .flatMap(
            name ->
                Arbitraries.randoms()
                    .flatMap(
                        random ->
                            Arbitraries.integers()
                                .between(1, 6)
                                .map(n -> mutate(Fixtures.text(name), random, n))));
  }

  private static String mutate(String text, Random r, int count) {
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    for (int i = 0; i < count && !lines.isEmpty(); i++) {
      int li = r.nextInt(lines.size());
      String line = lines.get(li);
      int pos = line.isEmpty() ? 0 : r.nextInt(line.length());
      char c =
          r.nextBoolean()
              ? INTERESTING.charAt(r.nextInt(INTERESTING.length()))
              : (char) r.nextInt(0x3000);
      switch (r.nextInt(9)) {
        case 0 ->
            lines.set(li, line.isEmpty() ? line : line.substring(0, pos) + line.substring(pos + 1));
        case 1 -> lines.set(li, line.substring(0, pos) + c + line.substring(pos));
        case 2 ->
            lines.set(
                li, line.isEmpty() ? line : line.substring(0, pos) + c + line.substring(pos + 1));
        case 3 -> lines.remove(li);
        case 4 -> lines.add(li, line);
        case 5 -> {
          int other = r.nextInt(lines.size());
          lines.set(li, lines.get(other));
          lines.set(other, line);
        }
        case 6 -> lines.set(li, line.substring(0, pos));
        case 7 ->
            lines.set(li, line.replaceAll("[0-9]+", Long.toString(r.nextLong() >> r.nextInt(64))));
        default -> {
          int eq = line.indexOf(':');
          lines.set(li, eq < 0 ? line : line.substring(0, eq + 1) + " " + c + "~;" + c);
        }
      }
    }
    return String.join("\n", lines);
  }

  /** Returns whether the text parsed. */
  private static boolean check(String text) {
    SessionDescription sd;
    try {
      sd = SessionDescription.parse(text);
    } catch (SdpParseException e) {
      assertThat(e.getMessage()).isNotBlank().doesNotContain("\n").hasSizeLessThan(120);
      return false;
    }
    try {
      SessionDescription again = SessionDescription.parse(sd.write());
      assertThat(again).isEqualTo(sd);
    } catch (SdpParseException e) {
      throw new AssertionError("written form does not re-parse: " + e.getMessage(), e);
    }
    for (AnswerPolicy policy : POLICIES) {
      try {
        SdpAnswer answer = SdpAnswerer.answer(sd, Fixtures.LOCAL, policy);
        assertThat(SessionDescription.parse(answer.sdp().write())).isEqualTo(answer.sdp());
      } catch (SdpParseException e) {
        assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
      }
    }
    return true;
  }
}
