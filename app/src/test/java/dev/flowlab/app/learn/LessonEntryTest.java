package dev.flowlab.app.learn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LessonEntryTest {
    @Test
    void library_listsTheLessonsInOrder_thenTheShippedChallenges_withoutTheirSolutions() {
        List<String> ids = LessonEntry.library().stream().map(LessonEntry::id).toList();

        assertThat(ids).contains("01-single-tomcat", "09-beyond-lvs", "default");
        assertThat(ids).containsSubsequence("01-single-tomcat", "default", "c1-capacity", "c7-health-check");
        int firstChallenge = ids.indexOf("c1-capacity");
        assertThat(LessonEntry.library().subList(firstChallenge, ids.size())).allMatch(e -> e.lesson().isChallenge());
        assertThat(LessonEntry.library().subList(0, firstChallenge)).noneMatch(e -> e.lesson().isChallenge());
        assertThat(ids).hasSize(firstChallenge + 7);
    }
}
