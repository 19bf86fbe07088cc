package dev.tcpfixture.names.internal;

import dev.tcpfixture.names.FakeHosts;
import dev.tcpfixture.names.FakeName;
import dev.tcpfixture.spi.HostNameProvider;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/** The core's {@link HostNameProvider}, for the JUnit extension's {@code @FakeHost}: {@link FakeHosts} underneath. */
public final class HostNameProviderImpl implements HostNameProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public HostNameProviderImpl() {
    }

    @Override
    public void checkActive() {
        FakeHosts.checkActive();
    }

    @Override
    public Registration fake(String name, Duration delay, List<InetAddress> addresses) {
        FakeHosts.Registration registration = FakeHosts.register(new FakeName(name,
                List.of(new FakeName.Answer(delay, addresses))));
        return registration::close;
    }

    @Override
    public int lookupCount(String name) {
        return FakeHosts.lookupCount(name);
    }
}
