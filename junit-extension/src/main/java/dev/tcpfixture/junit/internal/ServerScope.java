package dev.tcpfixture.junit.internal;

/**
 * How long a server lives.
 */
enum ServerScope {

    /** One server per test: created on demand, closed and verified after the test. */
    TEST("per test"),

    /**
     * One server per test class: verified after each test unless parallel execution is on, closed and verified
     * again after all tests of the class.
     */
    CLASS("per class");

    private final String description;

    ServerScope(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }
}
