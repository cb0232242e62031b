package io.nostos.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordBoundariesTest {
  /** Each record as "line:field|field|…", or "line:bad" where the reader gives up. */
  private static List<String> parse(byte[] bytes, int from, int to, int firstLine, char d, char q, char e)
      throws Exception {
    CsvReader r = new CsvReader(new BufferedReader(new InputStreamReader(
        new ByteArrayInputStream(Arrays.copyOfRange(bytes, from, to)), StandardCharsets.UTF_8)), d, q, e, firstLine);
    List<String> out = new ArrayList<>();
    while (true) {
      List<String> fields;
      try {
        fields = r.next();
      } catch (CsvReader.MalformedRecordException ex) {
        out.add(r.recordLine() + ":bad");
        return out;
      }
      if (fields == null) {
        return out;
      }
      out.add(r.recordLine() + ":" + String.join("|", fields));
    }
  }

  /** For every split size, the splits parse to exactly what the whole text parses to. */
  private static void assertSplitsAgreeWithWholeParse(String text, char d, char q, char e) throws Exception {
    assertSplitsAgreeWithWholeParse(text, d, q, e,
        java.util.stream.IntStream.rangeClosed(1, text.getBytes(StandardCharsets.UTF_8).length + 1).toArray());
  }

  /** For these split sizes, the splits parse to exactly what the whole text parses to. */
  private static void assertSplitsAgreeWithWholeParse(String text, char d, char q, char e, int... targets)
      throws Exception {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    List<String> whole = parse(bytes, 0, bytes.length, 1, d, q, e);
    for (int target : targets) {
      List<RecordBoundaries.Split> splits = RecordBoundaries.plan(new ByteArrayInputStream(bytes), bytes.length,
          target, d, q, e);
      List<String> joined = new ArrayList<>();
      long expectedOffset = 0;
      for (RecordBoundaries.Split s : splits) {
        assertThat(s.offset()).isEqualTo(expectedOffset);
        expectedOffset += s.length();
        joined.addAll(parse(bytes, (int) s.offset(), (int) (s.offset() + s.length()), s.firstLine(), d, q, e));
      }
      assertThat(expectedOffset).isEqualTo(bytes.length);
      assertThat(joined).as("split size %d: %s", target, splits).containsExactlyElementsOf(whole);
    }
  }

  @Test
  void quotedNewlinesDoubledQuotesAndStrayQuotesNeverStartASplit() throws Exception {
    assertSplitsAgreeWithWholeParse("id,name,note\n"
        + "1,\"two\nlines\",x\n"
        + "2,\"say \"\"hi\"\"\nthere\",y\n"
        + "3,ab\"c,\"d\"\n"            // a quote inside an unquoted field is text
        + "31,x\"y\n32,\"in\nside\",z\n"  // ... so this newline after it ends the record
        + "4,\"\",\"\"\"\"\n"          // empty quoted field, then a field holding one quote
        + "\n"
        + "5,é\"ü,\"ß\r\nq\"\r\n"      // CRLF, multi-byte characters
        + "6,last,\"no newline at the end\"", ',', '"', (char) 0);
  }

  @Test
  void agreesAcrossTheScannersBufferBoundaries() throws Exception {
    // 64 KiB buffers: a file of several, dense with quotes, doubled quotes, escapes and newlines.
    java.util.Random random = new java.util.Random(7);
    String alphabet = "ab,,\"\"\"\n\r\\xé";
    for (char escape : new char[] {0, '\\'}) {
      StringBuilder text = new StringBuilder();
      while (text.length() < 300_000) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      assertSplitsAgreeWithWholeParse(text.toString(), ',', '"', escape, 1, 997, 65_535, 65_536, 100_000, 299_999);
    }
  }

  @Test
  void escapedDelimitersAndNewlinesAsRedshiftUnloadWritesThem() throws Exception {
    assertSplitsAgreeWithWholeParse("1|a\\|b|c:\\\\\n2|two\\\nlines|\"q\"\n3|end\\\\|x\n4|\\\n\\\nz|w\n",
        '|', (char) 0, '\\');
  }

  @Test
  void anUnclosedQuoteKeepsTheRestOfTheFileInOneSplit() throws Exception {
    String text = "1,a\n2,\"open\n3,b\n4,c\n";
    assertSplitsAgreeWithWholeParse(text, ',', '"', (char) 0);
    assertThat(RecordBoundaries.plan(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
        text.length(), 1, ',', '"', (char) 0)).containsExactly(
        new RecordBoundaries.Split(0, 4, 1), new RecordBoundaries.Split(4, text.length() - 4, 2));
  }

  @Test
  void splitsAreAtLeastTheTargetSize() throws Exception {
    String text = "aaaa\nbb\ncccccc\nd\n";
    assertThat(RecordBoundaries.plan(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
        text.length(), 6, ',', '"', (char) 0)).containsExactly(
        new RecordBoundaries.Split(0, 8, 1), new RecordBoundaries.Split(8, 7, 3), new RecordBoundaries.Split(15, 2, 4));
  }

  @Test
  void onlyAsciiSpecialCharactersCanBeSplitOn() {
    assertThat(RecordBoundaries.supports('|', (char) 0, '\\')).isTrue();
    assertThat(RecordBoundaries.supports('§', '"', (char) 0)).isFalse();
    assertThat(RecordBoundaries.supports('\n', '"', (char) 0)).isFalse();
    assertThatThrownBy(() -> RecordBoundaries.plan(new ByteArrayInputStream(new byte[0]), 0, 1, '§', '"', (char) 0))
        .hasMessageContaining("non-ASCII");
  }
}
