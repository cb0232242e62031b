package io.nostos.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import io.nostos.pipelines.spec.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RingsTest {
  @TempDir Path tmp;

  @Test
  void rangeCountComesFromTheSpecThenFromSizeAndCores() {
    assertThat(Rings.desiredRanges(7, 1L << 40, 2)).isEqualTo(7);
    assertThat(Rings.desiredRanges(0, 0, 2)).isEqualTo(4);
    assertThat(Rings.desiredRanges(0, 10L * Rings.BYTES_PER_RANGE + 1, 2)).isEqualTo(11);
    assertThat(Rings.desiredRanges(0, Long.MAX_VALUE / 2, 2)).isEqualTo(4096);
  }

  @Test
  void filesAreSizedThroughTheirGlobAndCompressionCounts() throws IOException {
    Files.write(tmp.resolve("part-1.csv"), new byte[100]);
    Files.write(tmp.resolve("part-2.csv.gz"), new byte[10]);
    Files.write(tmp.resolve("other.txt"), new byte[1000]);
    Spec.FilesSource source = new Spec.FilesSource(tmp.resolve("part-*").toString(), null, Spec.Format.CSV, true, ',',
        '"', (char) 0, "", List.of());
    assertThat(SourceSize.estimateBytes(source)).isEqualTo(140);
    assertThat(SourceSize.estimateBytes(new Spec.JdbcSource("d", "u", null, null, "q", 1, null))).isZero();
  }
}
