package dev.tcpfixture.junit.internal;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which class context holds which static {@code @TcpServer} field, for one run of the engine: kept in the
 * root context's store. A static field is one variable, however many test classes inherit it, so it can hold
 * the server of one class at a time.
 */
final class StaticFieldClaims {

    private final Map<Field, Claim> claims = new ConcurrentHashMap<>();

    /**
     * Claims the field for the class context, unless another holds it.
     *
     * @return the claim that holds the field now: this context's, or the earlier one of another context
     */
    Claim claim(Field field, String uniqueId, String testClassName) {
        Claim mine = new Claim(uniqueId, testClassName);
        Claim earlier = claims.putIfAbsent(field, mine);
        return earlier == null ? mine : earlier;
    }

    /** Releases every field the class context with this unique id holds. */
    void releaseAll(String uniqueId) {
        claims.values().removeIf(claim -> claim.uniqueId().equals(uniqueId));
    }

    /**
     * A class context's hold on a static field.
     *
     * @param uniqueId the unique id of the class context
     * @param testClassName the name of its test class, for messages
     */
    record Claim(String uniqueId, String testClassName) {
    }
}
