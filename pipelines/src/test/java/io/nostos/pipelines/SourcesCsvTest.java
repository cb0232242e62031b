package io.nostos.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourcesCsvTest {
  private static List<List<String>> read(String text, char delimiter) throws IOException {
    Sources.CsvReader r = new Sources.CsvReader(new BufferedReader(new StringReader(text)), delimiter, '"');
    List<List<String>> out = new ArrayList<>();
    List<String> row;
    while ((row = r.next()) != null) {
      out.add(row);
    }
    return out;
  }

  @Test
  void readsQuotedFieldsWithDelimitersQuotesAndNewlines() throws IOException {
    assertThat(read("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n,,\n", ','))
        .containsExactly(List.of("a", "b", "c"), List.of("x, y", "say \"hi\"", "two\nlines"), List.of("", "", ""));
  }

  @Test
  void readsPipeDelimitedUnloadFiles() throws IOException {
    assertThat(read("1|en|0.5\n", '|')).containsExactly(List.of("1", "en", "0.5"));
  }

  @Test
  void unclosedQuoteIsAnError() {
    assertThatThrownBy(() -> read("\"open\n", ',')).hasMessage("line 1: quoted field is not closed");
  }
}
