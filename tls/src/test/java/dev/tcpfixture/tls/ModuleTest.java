package dev.tcpfixture.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The tests run on the module path, inside the module: its descriptor is the one users get. */
class ModuleTest {
    @Test
    void moduleExportsTheApiPackageOnlyAndRequiresBouncyCastle() {
        Module module = CertificateAuthority.class.getModule();

        assertThat(module.isNamed()).as("loaded as a named module").isTrue();
        ModuleDescriptor descriptor = module.getDescriptor();
        assertThat(descriptor.name()).isEqualTo("dev.tcpfixture.tls");
        assertThat(descriptor.exports()).extracting(ModuleDescriptor.Exports::source).containsExactly("dev.tcpfixture.tls");
        assertThat(descriptor.exports()).allSatisfy(export -> assertThat(export.isQualified()).isFalse());
        assertThat(descriptor.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()))
                .contains("org.bouncycastle.pkix", "org.bouncycastle.provider");
        assertThat(module.isExported("dev.tcpfixture.tls.internal")).isFalse();
        assertThat(module.getLayer().findModule("org.bouncycastle.pkix")).as("BouncyCastle as modules too").isPresent();
    }
}
