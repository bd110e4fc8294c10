package dev.strangler.core.config;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fresh self-signed certificate for {@code localhost} and its private key as PEM files, the form
 * an operator configures ({@code tls.cert}/{@code tls.key}). Made by the JDK's own {@code keytool}
 * (no crypto library for tests); the key is written as PKCS#8, or as PKCS#1 for an RSA key on request.
 */
record PemKeyPair(Path certificate, Path key) {
    private static final String PASSWORD = "changeit";

    /** @param algorithm {@code RSA} or {@code EC} */
    static PemKeyPair generate(Path dir, String name, String algorithm) throws Exception {
        Path store = dir.resolve(name + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        List<String> command = new java.util.ArrayList<>(List.of(keytool, "-genkeypair", "-alias", name, "-keyalg", algorithm,
                "-dname", "CN=localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD, "-noprompt"));
        if (algorithm.equals("RSA")) command.addAll(List.of("-keysize", "2048"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
        assertThat(p.exitValue()).as("keytool: %s", new String(p.getInputStream().readAllBytes())).isZero();

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        Certificate cert = ks.getCertificate(name);
        Key key = ks.getKey(name, PASSWORD.toCharArray());
        Path certificate = Files.writeString(dir.resolve(name + ".pem"), pem("CERTIFICATE", cert.getEncoded()));
        Path keyFile = Files.writeString(dir.resolve(name + "-key.pem"), pem("PRIVATE KEY", key.getEncoded()));
        return new PemKeyPair(certificate, keyFile);
    }

    /**
     * The RSA key rewritten as PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, what {@code openssl genrsa} of
     * OpenSSL 1.x writes). A 2048-bit key's PKCS#8 form is a 26-byte header (sequence, version,
     * rsaEncryption, octet-string header, each length in two bytes) around the PKCS#1 key.
     */
    Path rsaKeyAsPkcs1() throws Exception {
        String text = Files.readString(key);
        byte[] pkcs8 = Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", ""));
        assertThat(pkcs8[22]).as("the octet string holding the PKCS#1 key").isEqualTo((byte) 0x04);
        byte[] pkcs1 = Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
        return Files.writeString(key.resolveSibling(key.getFileName() + ".rsa"), pem("RSA PRIVATE KEY", pkcs1));
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
