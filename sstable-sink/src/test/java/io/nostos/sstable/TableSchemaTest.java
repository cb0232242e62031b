package io.nostos.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableSchemaTest {
  @Test
  void buildsCreateAndInsertWithCompactionOff() {
    TableSchema t = new TableSchema("ks", "docs_v3", List.of(
        new TableSchema.Column("country", "text", TableSchema.Kind.PARTITION_KEY),
        new TableSchema.Column("id", "bigint", TableSchema.Kind.PARTITION_KEY),
        new TableSchema.Column("field", "text", TableSchema.Kind.CLUSTERING),
        new TableSchema.Column("value", "text", TableSchema.Kind.REGULAR)));
    assertThat(t.createTableCql()).isEqualTo("CREATE TABLE IF NOT EXISTS ks.docs_v3 (\"country\" text, \"id\" bigint, "
        + "\"field\" text, \"value\" text, PRIMARY KEY ((\"country\", \"id\"), \"field\")) WITH compaction = "
        + "{'class': 'SizeTieredCompactionStrategy', 'enabled': 'false'} AND bloom_filter_fp_chance = 0.01");
    assertThat(t.insertCql()).isEqualTo("INSERT INTO ks.docs_v3 (\"country\", \"id\", \"field\", \"value\") VALUES (?, ?, ?, ?)");
  }

  @Test
  void columnsMustBeInKeyOrder() {
    assertThatThrownBy(() -> new TableSchema("ks", "t", List.of(
        new TableSchema.Column("v", "text", TableSchema.Kind.REGULAR),
        new TableSchema.Column("k", "text", TableSchema.Kind.PARTITION_KEY))))
        .hasMessageContaining("k is out of place");
    assertThatThrownBy(() -> new TableSchema("ks", "t", List.of(new TableSchema.Column("v", "text", TableSchema.Kind.REGULAR))))
        .hasMessageContaining("needs at least one partition key column");
  }
}
