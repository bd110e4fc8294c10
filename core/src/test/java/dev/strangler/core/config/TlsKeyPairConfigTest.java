package dev.strangler.core.config;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code tls} certificate and key that do not belong together are refused when the file is read
 * ({@code validate}, start, reload), not when the listener starts: two key pairs made by keytool.
 */
class TlsKeyPairConfigTest {
    @TempDir
    static Path dir;
    private static PemKeyPair rsaA;
    private static PemKeyPair rsaB;
    private static PemKeyPair ecA;
    private static PemKeyPair ecB;

    @BeforeAll
    static void generatePairs() throws Exception {
        rsaA = PemKeyPair.generate(dir, "rsa-a", "RSA");
        rsaB = PemKeyPair.generate(dir, "rsa-b", "RSA");
        ecA = PemKeyPair.generate(dir, "ec-a", "EC");
        ecB = PemKeyPair.generate(dir, "ec-b", "EC");
    }

    private static String config(Path cert, Path key) {
        return """
                listen: 127.0.0.1:8443
                tls:
                  cert: %s
                  key: %s
                monolith: { url: http://127.0.0.1:8081 }
                """.formatted(cert.getFileName(), key.getFileName());
    }

    private static List<String> errorsOf(Path cert, Path key) {
        try {
            ConfigLoader.parse(config(cert, key), dir.resolve("strangler.yaml"), Map.of());
        } catch (ConfigException e) {
            return e.errors().stream().map(ConfigError::toString).toList();
        }
        return List.of();
    }

    @Test
    void aKeyFromAnotherPairIsRefusedOnTheKeyLineNamingBothFilesAndHowToFindTheRightKey() {
        assertThat(errorsOf(rsaA.certificate(), rsaB.key())).singleElement().asString()
                .startsWith(dir.resolve("strangler.yaml") + ":4: tls.key: " + rsaB.key() + " is not the private key of the certificate in "
                        + rsaA.certificate())
                .contains("give the key the certificate was issued for, or a certificate issued for this key")
                .contains("openssl x509 -noout -pubkey -in CERT");
    }

    @Test
    void eachPairIsAcceptedWithItsOwnKeyInEveryFormItCanBeWrittenIn() throws Exception {
        assertThat(errorsOf(rsaA.certificate(), rsaA.key())).isEmpty();
        assertThat(errorsOf(rsaA.certificate(), rsaA.rsaKeyAsPkcs1())).as("PKCS#1 (BEGIN RSA PRIVATE KEY)").isEmpty();
        assertThat(errorsOf(ecA.certificate(), ecA.key())).isEmpty();
        GatewayConfig c = ConfigLoader.parse(config(ecA.certificate(), ecA.key()), dir.resolve("strangler.yaml"), Map.of());
        assertThat(c.tls()).contains(new TlsFiles(ecA.certificate(), ecA.key()));
    }

    @Test
    void mismatchesAcrossAlgorithmsAndCurvesKeysAndPkcs1AreRefusedToo() throws Exception {
        assertThat(errorsOf(ecA.certificate(), ecB.key())).as("EC key of another pair").singleElement().asString()
                .contains("tls.key: " + ecB.key() + " is not the private key of the certificate in " + ecA.certificate());
        assertThat(errorsOf(ecA.certificate(), rsaA.key())).as("RSA key for an EC certificate").singleElement().asString()
                .contains("(the key is RSA, the certificate's key is EC)");
        assertThat(errorsOf(rsaA.certificate(), rsaB.rsaKeyAsPkcs1())).as("PKCS#1 key of another pair").singleElement().asString()
                .contains("tls.key: ").contains(" is not the private key of the certificate in " + rsaA.certificate());
    }

    @Test
    void aCertificateOrKeyThatHasItsMarkerButCannotBeReadIsRefusedAtItsField() throws Exception {
        Path truncated = Files.writeString(dir.resolve("truncated.pem"),
                Files.readString(rsaA.certificate()).lines().limit(4).reduce("", (a, b) -> a + b + "\n"));
        assertThat(errorsOf(truncated, rsaA.key())).singleElement().asString()
                .startsWith(dir.resolve("strangler.yaml") + ":3: tls.cert: " + truncated + " cannot be read as an X.509 certificate");

        Path garbled = Files.writeString(dir.resolve("garbled-key.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThat(errorsOf(rsaA.certificate(), garbled)).singleElement().asString()
                .startsWith(dir.resolve("strangler.yaml") + ":4: tls.key: " + garbled + " cannot be read as a private key");
    }
}
