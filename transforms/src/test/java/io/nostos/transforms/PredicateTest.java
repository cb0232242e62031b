package io.nostos.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PredicateTest {
  private static boolean test(String condition, Object value) {
    return Predicate.parse(condition).test(Record.of("v", value));
  }

  @Test
  void numbersCompareNumericallyAlsoWhenHeldAsText() {
    assertThat(test("v >= 10", 10L)).isTrue();
    assertThat(test("v >= 10", "9.5")).isFalse();
    assertThat(test("v > 2", "10")).isTrue();   // as text "10" < "2"; as numbers it is larger
    assertThat(test("v == 3", 3.0)).isTrue();
    assertThat(test("v != 3", 4L)).isTrue();
    assertThat(test("v < -1.5e1", -20L)).isTrue();
  }

  @Test
  void textBooleansListsAndContains() {
    assertThat(test("v == 'en-US'", "en-US")).isTrue();
    assertThat(test("v = active", "active")).isTrue();
    assertThat(test("v in [US, CA, 'MX']", "MX")).isTrue();
    assertThat(test("v not in [US, CA]", "US")).isFalse();
    assertThat(test("v in [1, 2]", "2")).isTrue();
    assertThat(test("v == true", "TRUE")).isTrue();
    assertThat(test("v contains data", "big-data-course")).isTrue();
    assertThat(test("v contains es", List.of("en", "es"))).isTrue();
    assertThat(test("v > 2024-01-01", "2024-03-05")).isTrue();  // ISO dates order as text
  }

  @Test
  void nullFailsEveryConditionButIsNull() {
    assertThat(test("v is null", null)).isTrue();
    assertThat(test("v is not null", null)).isFalse();
    assertThat(test("v IS NOT NULL", "x")).isTrue();
    assertThat(test("v != 3", null)).isFalse();
    assertThat(test("v not in [a]", null)).isFalse();
  }

  @Test
  void aValueThatIsNotANumberIsAnError() {
    assertThatThrownBy(() -> test("v >= 10", "ten"))
        .hasMessage("column 'v' is \"ten\", not a number, in 'v >= 10'");
  }

  @Test
  void syntaxErrorsSayWhatToWrite() {
    assertThatThrownBy(() -> Predicate.parse("score big 3"))
        .hasMessageStartingWith("'score big 3' is not a condition; write 'column op value'");
    assertThatThrownBy(() -> Predicate.parse("country in US"))
        .hasMessage("'country in US': in needs a list, e.g. [US, CA]");
    assertThatThrownBy(() -> Predicate.parse("score >="))
        .hasMessage("'score >=': a value is missing after the operator");
  }
}
