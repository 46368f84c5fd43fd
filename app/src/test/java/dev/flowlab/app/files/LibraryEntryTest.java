package dev.flowlab.app.files;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The first sentence of a library scenario's description, as Open Library shows it. */
class LibraryEntryTest {

    @Test
    void firstSentence_endsAtTheFirstFullStopBeforeASpaceOrTheEnd() {
        assertThat(LibraryEntry.firstSentence("One Tomcat serves everything. Watch its pool.")).isEqualTo("One Tomcat serves everything.");
        assertThat(LibraryEntry.firstSentence("  Only one.  ")).isEqualTo("Only one.");
        assertThat(LibraryEntry.firstSentence("No full stop")).isEqualTo("No full stop");
        assertThat(LibraryEntry.firstSentence(null)).isEmpty();
    }

    @Test
    void firstSentence_keepsNumbersAndAbbreviationsWhole() {
        assertThat(LibraryEntry.firstSentence("Each holds 2.5 s of work, e.g. a search. Then more."))
                .isEqualTo("Each holds 2.5 s of work, e.g. a search.");
    }
}
