package dev.strangler.gateway;

import dev.strangler.core.config.TlsFiles;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SelfSignedCertificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;

/**
 * A fresh self-signed certificate for {@code localhost} as PEM files, the form an operator
 * configures ({@code tls.cert}/{@code tls.key}, a service's {@code trusted-certificate}).
 */
record TestCertificate(Path certificate, Path key) {
    static TestCertificate create() {
        SelfSignedCertificate c = SelfSignedCertificate.create("localhost");
        return new TestCertificate(Path.of(c.certificatePath()), Path.of(c.privateKeyPath()));
    }

    TlsFiles tlsFiles() {
        return new TlsFiles(certificate, key);
    }

    PemKeyCertOptions keyCertOptions() {
        return new PemKeyCertOptions().setCertPath(certificate.toString()).setKeyPath(key.toString());
    }

    /** A client-side context that trusts this certificate and nothing else. */
    SSLContext trustingContext() throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trusted.setCertificateEntry("test", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
