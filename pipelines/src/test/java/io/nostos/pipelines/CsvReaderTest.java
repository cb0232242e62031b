package io.nostos.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReaderTest {
  private static List<List<String>> read(String text, char delimiter, char quote, char escape) throws Exception {
    CsvReader r = new CsvReader(new BufferedReader(new StringReader(text)), delimiter, quote, escape);
    List<List<String>> out = new ArrayList<>();
    List<String> row;
    while ((row = r.next()) != null) {
      out.add(row);
    }
    return out;
  }

  @Test
  void readsQuotedFieldsWithDelimitersQuotesAndNewlines() throws Exception {
    assertThat(read("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n,,\n", ',', '"', (char) 0))
        .containsExactly(List.of("a", "b", "c"), List.of("x, y", "say \"hi\"", "two\nlines"), List.of("", "", ""));
  }

  @Test
  void quotesInsideUnquotedFieldsAndEscapesInsideQuotesAreText() throws Exception {
    assertThat(read("ab\"c\"d,\"x\\\"y\",e\\,f\n", ',', '"', '\\'))
        .containsExactly(List.of("ab\"c\"d", "x\"y", "e,f"));
  }

  @Test
  void readsRedshiftUnloadTextWithEscapes() throws Exception {
    // UNLOAD ... DELIMITER '|' ESCAPE: \| is a pipe in a value, \\ a backslash, \<newline> a newline
    assertThat(read("1|a\\|b|c:\\\\x\n2|two\\\nlines|\"q\"\n", '|', (char) 0, '\\'))
        .containsExactly(List.of("1", "a|b", "c:\\x"), List.of("2", "two\nlines", "\"q\""));
  }

  @Test
  void keepsTheRawTextAndStartLineOfEachRecord() throws Exception {
    CsvReader r = new CsvReader(new BufferedReader(new StringReader("h\n\"a\nb\"\nc\n")), ',', '"', (char) 0);
    r.next();
    r.next();
    assertThat(r.raw()).isEqualTo("\"a\nb\"");
    assertThat(r.recordLine()).isEqualTo(2);
    r.next();
    assertThat(r.recordLine()).isEqualTo(4);
    assertThat(r.raw()).isEqualTo("c");
  }

  @Test
  void unclosedQuoteIsMalformedWithItsText() {
    assertThatThrownBy(() -> read("\"open\nmore", ',', '"', (char) 0))
        .isInstanceOfSatisfying(CsvReader.MalformedRecordException.class,
            e -> assertThat(e.raw()).isEqualTo("\"open\nmore"))
        .hasMessage("line 1: quoted field is not closed");
  }
}
