package dev.tcpfixture.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Keeps the class shown in the JUnit quick start of {@code README.md} identical to {@code com.example.PingClientTest}, which is
 * compiled and run with the other tests.
 */
class QuickStartDocumentTest {

    @Test
    void theQuickStartClassIsTheOneThatIsCompiledAndRun() throws IOException {
        String document = Files.readString(Path.of("../README.md"));
        String source = Files.readString(Path.of("src/test/java/com/example/PingClientTest.java"));

        int start = document.indexOf("```java\npackage com.example;");
        assertThat(start).as("the quick start class in README.md").isNotNegative();
        int end = document.indexOf("```\n", start + 1);
        String shown = document.substring(start + "```java\n".length(), end);

        assertThat(shown).isEqualTo(source);
    }
}
