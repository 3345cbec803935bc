package eu.visio.meet.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RoomCodeTest {
  @ParameterizedTest(name = "\"{0}\" is {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "abc-defg-hij     | abc-defg-hij", // canonical
        "abcdefghij       | abc-defg-hij", // no dashes
        "ABCDEFGHIJ       | abc-defg-hij", // upper case, as someone types it with caps lock
        "AbC-dEfG-hIj     | abc-defg-hij",
        "abc-defghij      | abc-defg-hij", // one dash
        "abcdefg-hij      | abc-defg-hij",
        "'  abc-defg-hij ' | abc-defg-hij", // pasted with spaces
        "'\tqwe-rtyu-iop\n' | qwe-rtyu-iop",
      })
  void acceptsWhatPeopleTypeAndNormalizes(String input, String canonical) {
    assertThat(RoomCode.parse(input).value()).isEqualTo(canonical);
    assertThat(RoomCode.tryParse(input)).contains(new RoomCode(canonical));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {
        "",
        "abc-defg-hi", // 9 letters
        "abc-defg-hijk", // 11 letters
        "abcd-efg-hij", // dash in the wrong place
        "ab-cdefg-hij",
        "abc--defg-hij", // two dashes
        "-abcdefghij",
        "abcdefghij-",
        "abc-defg-hi1", // digit
        "abc defg hij", // spaces inside
        "abc_defg_hij",
        "àbc-defg-hij", // a letter, but not ASCII
        "ABC-DEFG-HİJ", // Turkish dotted I: lower-cases to 'i' plus a combining dot in Java
        "ａｂｃ-ｄｅｆｇ-ｈｉｊ", // full-width letters
        "3f2b1c9e-0000-4000-8000-000000000000", // a UUID is not a code
      })
  void refusesEverythingElse(String input) {
    assertThat(RoomCode.tryParse(input)).isEmpty();
    assertThatThrownBy(() -> RoomCode.parse(input))
        .isInstanceOf(ValidationException.class)
        .extracting(e -> ((ValidationException) e).field())
        .isEqualTo("code");
  }

  @Test
  void refusesNullAndHugeInputWithoutLookingAtIt() {
    assertThat(RoomCode.tryParse(null)).isEmpty();
    assertThat(RoomCode.tryParse(" ".repeat(RoomCode.MAX_INPUT) + "abcdefghij")).isEmpty();
  }

  @Test
  void theConstructorTakesOnlyTheCanonicalForm() {
    assertThat(new RoomCode("abc-defg-hij").toString()).isEqualTo("abc-defg-hij");
    for (String s : new String[] {"abcdefghij", "ABC-DEFG-HIJ", "abc-defg-hij ", "abc.defg.hij"}) {
      assertThatThrownBy(() -> new RoomCode(s)).as(s).isInstanceOf(ValidationException.class);
    }
    assertThatThrownBy(() -> new RoomCode(null)).isInstanceOf(ValidationException.class);
  }

  @Test
  void randomCodesTakeEachLetterFromTheGenerator() {
    // A generator that answers 0, 1, 2, ... 25, 0, ...: the letters a, b, c, ... in order.
    RandomGenerator counting =
        new RandomGenerator() {
          int next;

          @Override
          public long nextLong() {
            throw new UnsupportedOperationException();
          }

          @Override
          public int nextInt(int bound) {
            assertThat(bound).isEqualTo(26);
            return next++ % bound;
          }
        };
    assertThat(RoomCode.random(counting).value()).isEqualTo("abc-defg-hij");
    assertThat(RoomCode.random(counting).value()).isEqualTo("klm-nopq-rst");
  }

  @Test
  void randomCodesUseTheWholeAlphabetAndDoNotRepeat() {
    Set<String> codes = new HashSet<>();
    Set<Character> letters = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      String code = RoomCode.random().value();
      codes.add(code);
      code.chars().filter(c -> c != '-').forEach(c -> letters.add((char) c));
    }
    assertThat(codes).hasSize(2000);
    assertThat(letters).hasSize(26);
  }

  @Property(tries = 2000)
  void anyInputParsesToACanonicalCodeOrIsRefused(@ForAll String input) {
    try {
      RoomCode code = RoomCode.parse(input);
      assertThat(RoomCode.parse(code.value())).isEqualTo(code);
      assertThat(code.value().replace("-", ""))
          .isEqualToIgnoringCase(input.strip().replace("-", ""));
    } catch (ValidationException e) {
      assertThat(e.field()).isEqualTo("code");
    }
  }

  @Property(tries = 1000)
  void everySpellingOfACodeParsesToIt(@ForAll("spellings") String[] codeAndSpelling) {
    assertThat(RoomCode.parse(codeAndSpelling[1]).value()).isEqualTo(codeAndSpelling[0]);
  }

  @Provide
  Arbitrary<String[]> spellings() {
    return Arbitraries.longs()
        .map(
            seed -> {
              SplittableRandom r = new SplittableRandom(seed);
              String code = RoomCode.random(r).value();
              StringBuilder s = new StringBuilder(" ".repeat(r.nextInt(3)));
              for (int i = 0; i < code.length(); i++) {
                char c = code.charAt(i);
                if (c == '-') {
                  if (r.nextBoolean()) {
                    s.append('-');
                  }
                } else {
                  s.append(r.nextBoolean() ? Character.toUpperCase(c) : c);
                }
              }
              s.append(" ".repeat(r.nextInt(3)));
              return new String[] {code, s.toString()};
            });
  }
}
