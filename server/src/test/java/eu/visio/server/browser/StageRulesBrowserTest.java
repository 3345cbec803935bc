package eu.visio.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The meeting screen's rules (web/src/meeting/stage/rules.ts), the very code the app runs, called
 * in Chromium on the page /e2e/stage.html: tile order with speakers promoted to page 1, page
 * capacity, pages, which tile is big, the reaction rate limit, the hand queue, and the reaction
 * payload parser fed untrusted bytes.
 */
@Tag("browser")
class StageRulesBrowserTest {
  private static final List<String> REACTIONS = List.of("👍", "❤️", "😂", "😮", "👏", "🎉");

  private static VisioServer server;
  private static Chromium browser;

  @BeforeContainer
  static void open() throws Exception {
    server = TestServers.loopback();
    browser = new Chromium();
    browser.open("http://127.0.0.1:" + server.httpPort() + "/e2e/stage.html");
    browser.await(
        "return document.body.dataset.ready === 'true';",
        Boolean.TRUE::equals,
        Duration.ofSeconds(10));
  }

  @AfterContainer
  static void close() throws Exception {
    try (var s = server) {
      browser.close();
    }
  }

  /** {@code window.stageRules.<call>}'s value; arguments are JS literals in {@code call}. */
  private static Object rules(String call) {
    return browser.run("return window.stageRules." + call + ";");
  }

  private static Object arrange(
      String previous, String present, String front, String spoke, int size) {
    return rules(
        "arrange(%s, %s, %s, new Map(Object.entries(%s)), %d)"
            .formatted(previous, present, front, spoke, size));
  }

  @Example
  void tilesKeepTheirPlacesNewcomersGoLastAndTheFrontLeads() {
    // Who left is gone, who came is last, the rest keep their order.
    assertThat(arrange("['a','b','c']", "['c','d','a']", "[]", "{}", 9))
        .isEqualTo(List.of("a", "c", "d"));
    // Front keys present lead, in the front's order; absent ones are skipped.
    assertThat(arrange("['a','b','me']", "['a','b','me']", "['share','me']", "{}", 9))
        .isEqualTo(List.of("me", "a", "b"));
  }

  @Example
  void whoeverSpeaksBeyondPageOneSwapsWithThePageOnePersonQuietLongest() {
    // | previous          | spoke        | page | result            |
    assertThat(arrange("['me','a','b','c']", "['me','a','b','c']", "['me']", "{c: 10}", 2))
        .isEqualTo(List.of("me", "c", "b", "a"));
    assertThat(arrange("['me','a','b']", "['me','a','b']", "['me']", "{a: 20, b: 10}", 2))
        .as("page 1 spoke more recently: nobody moves")
        .isEqualTo(List.of("me", "a", "b"));
    assertThat(
            arrange(
                "['me','a','b','c','d']", "['me','a','b','c','d']", "['me']", "{c: 5, d: 9}", 3))
        .as("the most recent speaker first, each taking the quietest seat")
        .isEqualTo(List.of("me", "d", "c", "b", "a"));
    assertThat(arrange("['me','a','b']", "['me','a','b']", "['me']", "{me: 1, b: 4}", 1))
        .as("a page holding only the front: nobody is promoted over it")
        .isEqualTo(List.of("me", "a", "b"));
  }

  @Example
  void arrangingTwiceChangesNothing() {
    String once =
        browser
            .run(
                "const r = window.stageRules; const s = new Map(Object.entries({c: 5, d: 9}));"
                    + " const keys = ['me','a','b','c','d'];"
                    + " const one = r.arrange(keys, keys, ['me'], s, 3);"
                    + " const two = r.arrange(one, keys, ['me'], s, 3);"
                    + " return JSON.stringify(one) + ' ' + JSON.stringify(two);")
            .toString();
    String[] both = once.split(" ");
    assertThat(both[1]).isEqualTo(both[0]);
  }

  @Example
  void pageCapacityFollowsTheStageSize() {
    // | width | height | tiles | why                                          |
    int[][] table = {
      {1920, 1000, 16}, // large screen: capped at 16
      {1280, 720, 16}, //  still ≥ 1200 px wide
      {1000, 600, 9}, //   a laptop: capped at 9
      {616, 272, 2}, //    2 columns of ≥ 200 px, 1 row of ≥ 150 px
      {360, 500, 8}, //    a phone: 2 × 4 tiles of ≥ 140 × 105
      {100, 50, 1}, //     never less than one
      {0, 0, 1},
    };
    for (int[] row : table) {
      assertThat(rules("pageCapacity(%d, %d)".formatted(row[0], row[1])))
          .as("%d × %d", row[0], row[1])
          .isEqualTo((long) row[2]);
    }
  }

  @Example
  void pagesClampToTheirRange() {
    assertThat(rules("paginate([1,2,3,4,5], 2, 0)"))
        .isEqualTo(Map.of("pages", 3L, "page", 0L, "items", List.of(1L, 2L)));
    assertThat(rules("paginate([1,2,3,4,5], 2, 2)"))
        .isEqualTo(Map.of("pages", 3L, "page", 2L, "items", List.of(5L)));
    assertThat(rules("paginate([1,2,3,4,5], 2, 7)"))
        .isEqualTo(rules("paginate([1,2,3,4,5], 2, 2)"));
    assertThat(rules("paginate([1,2,3], 2, -1)")).isEqualTo(rules("paginate([1,2,3], 2, 0)"));
    assertThat(rules("paginate([], 4, 0)"))
        .isEqualTo(Map.of("pages", 1L, "page", 0L, "items", List.of()));
  }

  @Example
  void thePinWinsThenTheNewestShareThenTheSpeakerOutsideTheGrid() {
    // | layout    | pinned | share   | speaker | big     |
    Object[][] table = {
      {"grid", null, "s/share", "a/cam", null},
      {"grid", "p/cam", "s/share", "a/cam", "p/cam"},
      {"auto", null, "s/share", "a/cam", "s/share"},
      {"auto", null, null, "a/cam", null},
      {"auto", "p/cam", "s/share", "a/cam", "p/cam"},
      {"speaker", null, null, "a/cam", "a/cam"},
      {"speaker", null, "s/share", "a/cam", "s/share"},
      {"focus", null, null, "a/cam", "a/cam"},
    };
    for (Object[] row : table) {
      assertThat(
              rules(
                  "spotlight(%s, %s, %s, %s)"
                      .formatted(js(row[0]), js(row[1]), js(row[2]), js(row[3]))))
          .as(java.util.Arrays.toString(row))
          .isEqualTo(row[4]);
    }
  }

  private static String js(Object value) {
    return value == null ? "null" : "'" + value + "'";
  }

  @Example
  void reactionsAreLimitedToFourInThreeSeconds() {
    assertThat(rules("reactionAllowed([], 0)")).isEqualTo(true);
    assertThat(rules("reactionAllowed([0, 1, 2], 2999)")).isEqualTo(true);
    assertThat(rules("reactionAllowed([0, 1, 2, 3], 2999)")).isEqualTo(false);
    assertThat(rules("reactionAllowed([0, 1, 2, 3], 3000)"))
        .as("the first has aged out")
        .isEqualTo(true);
  }

  @Example
  void handsQueueFirstRaisedFirstAndIgnoreWhatIsNotATime() {
    Object queue =
        browser.run(
            "return Object.fromEntries(window.stageRules.handQueue(["
                + "{identity: 'ann', raisedAt: '2026-01-01T10:00:02Z'},"
                + "{identity: 'bob', raisedAt: '2026-01-01T10:00:01Z'},"
                + "{identity: 'cat', raisedAt: undefined},"
                + "{identity: 'dan', raisedAt: 'soon'},"
                + "{identity: 'eve', raisedAt: '2026-01-01T10:00:01Z'}]));");
    assertThat(queue).isEqualTo(Map.of("bob", 1L, "eve", 2L, "ann", 3L));
  }

  @Property(tries = 200)
  void anyBytesParseToNothingOrAnAllowedReaction(@ForAll("payloads") List<Integer> bytes) {
    Object parsed =
        browser.driver().executeScript("return window.stageRules.parseBytes(arguments[0]);", bytes);
    assertThat(parsed == null || REACTIONS.contains(parsed)).as(String.valueOf(parsed)).isTrue();
  }

  @Property(tries = 150)
  void aReactionIsAcceptedOnlyWhenItIsOneOfTheList(@ForAll("emoji") String emoji) {
    Object parsed =
        browser
            .driver()
            .executeScript(
                "return window.stageRules.parseBytes(Array.from(new TextEncoder().encode("
                    + "JSON.stringify({emoji: arguments[0]}))));",
                emoji);
    assertThat(parsed).isEqualTo(REACTIONS.contains(emoji) ? emoji : null);
  }

  @Provide
  Arbitrary<List<Integer>> payloads() {
    Arbitrary<List<Integer>> random = Arbitraries.integers().between(0, 255).list().ofMaxSize(300);
    // JSON-looking bytes reach the parser's deeper paths more often than random ones.
    Arbitrary<List<Integer>> jsonish =
        Arbitraries.of(
                "{\"emoji\":\"👍\"}",
                "{\"emoji\":1}",
                "[]",
                "null",
                "{\"emoji\":[\"👍\"]}",
                "\"👍\"")
            .map(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .flatMap(
                b ->
                    Arbitraries.integers()
                        .between(0, b.length)
                        .map(
                            cut -> {
                              List<Integer> out = new java.util.ArrayList<>();
                              for (int i = 0; i < cut; i++) {
                                out.add(b[i] & 0xff);
                              }
                              return out;
                            }));
    return Arbitraries.oneOf(random, jsonish);
  }

  @Provide
  Arbitrary<String> emoji() {
    return Arbitraries.oneOf(
        Arbitraries.of(REACTIONS),
        Arbitraries.of("👍🏽", "❤", " 👍", "👍 ", "<img src=x>", "", "👍👍", "🙂"),
        Arbitraries.strings().alpha().ofMaxLength(6));
  }
}
