package io.nostos.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VersionNameTest {
  @Test
  void buildsAndParsesTheSameName() {
    assertThat(VersionName.of("user_profile", 7)).isEqualTo("user_profile_v7");
    assertThat(VersionName.parse("user_profile_v7")).isEqualTo(new VersionName.Parsed("user_profile", 7));
  }

  @Test
  void parsesDatasetNamesThatContainVersionLikeParts() {
    assertThat(VersionName.parse("a_v2_v13")).isEqualTo(new VersionName.Parsed("a_v2", 13));
  }

  @Test
  void parseErrorQuotesTheName() {
    assertThatThrownBy(() -> VersionName.parse("user_profile_v0")).hasMessageContaining("'user_profile_v0'");
    assertThatThrownBy(() -> VersionName.parse("UserProfile_v1")).hasMessageContaining("'UserProfile_v1'");
    assertThatThrownBy(() -> VersionName.parse("profiles")).hasMessageContaining("expected <dataset>_v<N>");
  }

  @Test
  void rejectsUnsafeDatasetNames() {
    assertThat(VersionName.datasetProblem("ok_name1")).isNull();
    assertThat(VersionName.datasetProblem("1abc")).contains("must start with a lower case letter");
    assertThat(VersionName.datasetProblem("a-b")).contains("only a-z, 0-9 and _");
    assertThat(VersionName.datasetProblem("a".repeat(40))).contains("40 characters long; the limit is 39");
    assertThat(VersionName.datasetProblem("")).isEqualTo("dataset name is empty");
  }

  @Test
  void rejectsVersionsOutOfRange() {
    assertThatThrownBy(() -> VersionName.of("ds", 0)).hasMessageContaining("between 1 and 9999999");
    assertThat(VersionName.of("ds", 9_999_999)).isEqualTo("ds_v9999999");
  }

  @Test
  void longestNamesFitCassandrasTableNameLimit() {
    assertThat(VersionName.of("a".repeat(VersionName.MAX_DATASET_LENGTH), 9_999_999)).hasSizeLessThanOrEqualTo(48);
  }
}
