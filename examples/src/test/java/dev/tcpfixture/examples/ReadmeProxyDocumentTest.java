package dev.tcpfixture.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeps the proxy quick start of {@code README.md} the same as the code that runs it. */
class ReadmeProxyDocumentTest {

    @Test
    void theProxyQuickStartIsTheCodeThatRuns() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        int section = readme.indexOf("## Proxy");
        assertThat(section).as("the section ## Proxy of README.md").isNotNegative();
        int start = readme.indexOf("```java\n", section) + "```java\n".length();
        String shown = readme.substring(start, readme.indexOf("```\n", start));
        String source = Files.readString(Path.of("src/test/java/dev/tcpfixture/examples/ReadmeProxyQuickStartTest.java"));

        List<String> shownLines = codeLines(shown);
        assertThat(shownLines).hasSizeGreaterThan(5);
        assertThat(Collections.indexOfSubList(codeLines(source), shownLines))
                .as("README's proxy quick start, line for line, in ReadmeProxyQuickStartTest:%n%s", shown)
                .isNotNegative();
    }

    private static List<String> codeLines(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }
}
