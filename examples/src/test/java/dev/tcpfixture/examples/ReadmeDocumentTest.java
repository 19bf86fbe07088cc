package dev.tcpfixture.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeps the quick starts of {@code README.md} the same as the code that runs them. */
class ReadmeDocumentTest {

    private static List<String> codeLines(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    @Test
    void theCoreQuickStartIsTheCodeThatRuns() throws IOException {
        assertShownCodeRuns("## Quick start: the core server", null,
                "src/test/java/dev/tcpfixture/examples/ReadmeCoreQuickStartTest.java");
    }

    @Test
    void theTlsQuickStartsAreTheCodeThatRuns() throws IOException {
        assertShownCodeRuns("## TLS", "### Quick start: JUnit", "src/test/java/dev/tcpfixture/examples/HttpsClientTest.java");
        assertShownCodeRuns("## TLS", "### Quick start: without JUnit",
                "src/test/java/dev/tcpfixture/examples/ReadmeTlsQuickStartTest.java");
        assertShownCodeRuns("## TLS", "### Mutual TLS and pinned versions",
                "src/test/java/dev/tcpfixture/examples/MutualTlsClientTest.java");
    }

    @Test
    void theHostNameQuickStartsAreTheCodeThatRuns() throws IOException {
        assertShownCodeRuns("## Host names", "### Quick start: JUnit",
                "src/test/java/dev/tcpfixture/examples/TutorialHostNamesTest.java");
        assertShownCodeRuns("## Host names", "### Quick start: without JUnit",
                "../names/src/test/java/dev/tcpfixture/names/ReadmeQuickStartTest.java");
    }

    /** The first Java block after the heading (and subheading) of README.md, line for line, in the source file. */
    private static void assertShownCodeRuns(String heading, String subheading, String sourceFile) throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        int section = readme.indexOf(heading);
        assertThat(section).as("the section %s of README.md", heading).isNotNegative();
        if (subheading != null) {
            section = readme.indexOf(subheading, section);
            assertThat(section).as("the section %s %s of README.md", heading, subheading).isNotNegative();
        }
        int start = readme.indexOf("```java\n", section) + "```java\n".length();
        String shown = readme.substring(start, readme.indexOf("```\n", start));
        String source = Files.readString(Path.of(sourceFile));

        List<String> shownLines = codeLines(shown);
        assertThat(shownLines).hasSizeGreaterThan(5);
        assertThat(Collections.indexOfSubList(codeLines(source), shownLines))
                .as("README's code, line for line, in %s:%n%s", sourceFile, shown)
                .isNotNegative();
    }
}
