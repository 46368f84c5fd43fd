package dev.flowlab.app.files;

import dev.flowlab.topology.Scenario;

/**
 * A scenario of the library as File → Open Library lists it: its library name ("02-nginx-tomcats"),
 * its title (the scenario's name) and the first sentence of its description.
 */
public record LibraryEntry(String name, String title, String summary) {

    static LibraryEntry of(String name, Scenario scenario) {
        String title = scenario.name() == null || scenario.name().isBlank() ? name : scenario.name();
        return new LibraryEntry(name, title, firstSentence(scenario.description()));
    }

    /** The description up to and with its first full stop that ends a sentence (". " or the end); empty for none. */
    public static String firstSentence(String description) {
        if (description == null) {
            return "";
        }
        String text = description.strip();
        for (int i = text.indexOf('.'); i >= 0; i = text.indexOf('.', i + 1)) {
            boolean end = i == text.length() - 1 || Character.isWhitespace(text.charAt(i + 1));
            // "e.g. x" and "i.e. x" do not end a sentence; neither does a number such as "2.5 s" (no space after the dot).
            boolean abbreviation = text.startsWith("e.g", Math.max(0, i - 3)) || text.startsWith("i.e", Math.max(0, i - 3));
            if (end && !abbreviation) {
                return text.substring(0, i + 1);
            }
        }
        return text;
    }
}
