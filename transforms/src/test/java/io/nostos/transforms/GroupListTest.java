package io.nostos.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class GroupListTest {
  private static PCollection<Record> rows(TestPipeline p) {
    return p.apply(Create.of(List.of(
        Record.of("user", "u1", "course", "c1", "score", 0.2),
        Record.of("user", "u1", "course", "c2", "score", 0.9),
        Record.of("user", "u1", "course", "c3", "score", 0.5),
        Record.of("user", "u1", "course", "c4", "score", null),
        Record.of("user", "u2", "course", "c1", "score", 0.7),
        Record.of("user", "u2", "course", "c9", "score", 0.7))).withCoder(RecordCoder.of()));
  }

  private static Map<String, Object> item(String course, Double score) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("course", course);
    m.put("score", score);
    return m;
  }

  @Test
  void topNObjectsOrderedDescendingWithNullsLast(TestPipeline p) {
    PCollection<Record> out = rows(p).apply(GroupList.into("courses").withKey(List.of("user"))
        .withItems(List.of("course", "score"))
        .withOrderBy(List.of(GroupList.SortKey.parse("score desc")))
        .withLimit(3));
    PAssert.that(out).containsInAnyOrder(
        Record.of("user", "u1", "courses", List.of(item("c2", 0.9), item("c3", 0.5), item("c1", 0.2))),
        Record.of("user", "u2", "courses", List.of(item("c1", 0.7), item("c9", 0.7))));
    p.run();
  }

  @Test
  void scalarItemsSortedByAColumnThatIsNotAnItem(TestPipeline p) {
    PCollection<Record> out = rows(p).apply(GroupList.into("ids").withKey(List.of("user"))
        .withItems(List.of("course")).withScalarItems(true)
        .withOrderBy(List.of(GroupList.SortKey.parse("score asc"))));
    PAssert.that(out).containsInAnyOrder(
        Record.of("user", "u1", "ids", List.of("c1", "c3", "c2", "c4")),
        Record.of("user", "u2", "ids", List.of("c1", "c9")));
    p.run();
  }

  @Test
  void sortKeyParsing() {
    assertThat(GroupList.SortKey.parse(" score  DESC ")).isEqualTo(new GroupList.SortKey("score", true));
    assertThat(GroupList.SortKey.parse("title")).isEqualTo(new GroupList.SortKey("title", false));
    assertThatThrownBy(() -> GroupList.SortKey.parse("score down"))
        .hasMessage("'score down' is not a sort key; write 'column', 'column asc' or 'column desc'");
  }

  @Test
  void factoryReadsOrderByListAndLimit() {
    GroupList g = (GroupList) new GroupList.Factory().create(
        Map.of("field", "top", "items", "course", "order_by", "score desc, course", "limit", 5L), List.of("user"));
    assertThat(g.getOrderBy()).containsExactly(new GroupList.SortKey("score", true), new GroupList.SortKey("course", false));
    assertThat(g.getLimit()).isEqualTo(5);
    assertThat(g.getScalarItems()).isTrue();
    assertThatThrownBy(() -> new GroupList.Factory().create(Map.of("field", "top", "limit", 0L), List.of("user")))
        .hasMessage("group_list: 'limit' must be a whole number of at least 1");
  }
}
