package dev.strangler.core.config;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.interfaces.RSAKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether the {@code tls} certificate and private key belong together, checked when the config is
 * read: a mismatched pair otherwise passes {@code validate} and a reload, and fails only when the
 * listener starts. Blocking (reads both files).
 *
 * <p>The pair belongs together when the key is the private half of the first (leaf) certificate's
 * public key: for RSA the moduli are equal; for other algorithms a fresh challenge signed with the
 * key verifies with the certificate's key. Keys read are PKCS#8 ({@code BEGIN PRIVATE KEY}) and
 * PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}); an encrypted key, a SEC1 EC key or an algorithm the
 * JDK cannot sign with is left to the listener to judge (no false refusal).
 */
final class TlsKeyPair {
    private static final Pattern CERTIFICATE = block("CERTIFICATE");
    private static final Pattern PKCS8 = block("PRIVATE KEY");
    private static final Pattern PKCS1_RSA = block("RSA PRIVATE KEY");
    /** Key algorithms tried when the key is not of the certificate's: to tell "another kind of key" from "unreadable". */
    private static final List<String> ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA");
    /** DER of AlgorithmIdentifier { rsaEncryption, NULL }: wraps a PKCS#1 key into PKCS#8. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d,
            0x01, 0x01, 0x01, 0x05, 0x00};

    /** A problem with one of the two files, for the field it names. */
    record Problem(Field field, String message) {}

    enum Field { CERT, KEY }

    private TlsKeyPair() {}

    /** The problem with the pair, or empty when it belongs together (or cannot be judged here). Blocking. */
    static Optional<Problem> check(Path cert, Path key) {
        PublicKey certificateKey;
        try {
            certificateKey = certificateKey(Files.readString(cert, StandardCharsets.ISO_8859_1));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            return Optional.of(new Problem(Field.CERT, cert + " cannot be read as an X.509 certificate (" + e.getMessage()
                    + "); give the PEM certificate (chain) the server presents, leaf first"));
        }
        Optional<PrivateKey> privateKey;
        try {
            privateKey = privateKey(Files.readString(key, StandardCharsets.ISO_8859_1), certificateKey.getAlgorithm());
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            return Optional.of(new Problem(Field.KEY, key + " cannot be read as a private key (" + e.getMessage()
                    + "); give an unencrypted PEM key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)"));
        }
        if (privateKey.isEmpty() || belongTogether(certificateKey, privateKey.get())) return Optional.empty();
        String keyAlgorithm = privateKey.get().getAlgorithm();
        String why = keyAlgorithm.equals(certificateKey.getAlgorithm())
                ? "the certificate holds the public half of another " + keyAlgorithm + " key"
                : "the key is " + keyAlgorithm + ", the certificate's key is " + certificateKey.getAlgorithm();
        return Optional.of(new Problem(Field.KEY, key + " is not the private key of the certificate in " + cert
                + " (" + why + "); give the key the certificate was issued for, or a certificate issued"
                + " for this key (`openssl x509 -noout -pubkey -in CERT` and `openssl pkey -pubout -in KEY` print the same key"
                + " when they belong together)"));
    }

    private static PublicKey certificateKey(String pem) throws GeneralSecurityException {
        byte[] der = decode(CERTIFICATE, pem).orElseThrow(() -> new IllegalArgumentException("no certificate block"));
        return CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
    }

    /** The key; empty when its form is one this check does not read (encrypted, SEC1 EC). */
    private static Optional<PrivateKey> privateKey(String pem, String certificateAlgorithm) throws GeneralSecurityException {
        Optional<byte[]> pkcs1 = decode(PKCS1_RSA, pem);
        if (pkcs1.isPresent()) return Optional.of(KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(wrapRsa(pkcs1.get()))));
        Optional<byte[]> pkcs8 = decode(PKCS8, pem);
        if (pkcs8.isEmpty()) return Optional.empty();
        GeneralSecurityException first = null;
        for (String algorithm : preferring(certificateAlgorithm)) {
            try {
                return Optional.of(KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8.get())));
            } catch (GeneralSecurityException e) {
                if (first == null) first = e;
            }
        }
        throw first;
    }

    private static List<String> preferring(String algorithm) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(algorithm), ALGORITHMS.stream()).distinct().toList();
    }

    static boolean belongTogether(PublicKey publicKey, PrivateKey privateKey) {
        if (publicKey instanceof RSAKey pub && privateKey instanceof RSAKey priv) return pub.getModulus().equals(priv.getModulus());
        if (publicKey instanceof RSAKey || privateKey instanceof RSAKey) return false;
        String algorithm = switch (privateKey.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> "EdDSA";
            case "DSA" -> "SHA256withDSA";
            default -> null;
        };
        if (algorithm == null) return true; // not judged here: the listener will
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // e.g. an EC key on another curve than the certificate's, or keys of two algorithms
        }
    }

    private static Pattern block(String label) {
        return Pattern.compile("-----BEGIN " + label + "-----([A-Za-z0-9+/=\\s]*)-----END " + label + "-----");
    }

    private static Optional<byte[]> decode(Pattern block, String pem) {
        Matcher m = block.matcher(pem);
        if (!m.find()) return Optional.empty();
        return Optional.of(Base64.getMimeDecoder().decode(m.group(1)));
    }

    /** PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING pkcs1 }. */
    private static byte[] wrapRsa(byte[] pkcs1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(RSA_ALGORITHM);
        body.writeBytes(tagged(0x04, pkcs1));
        return tagged(0x30, body.toByteArray());
    }

    private static byte[] tagged(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int n = content.length;
        if (n < 0x80) out.write(n);
        else {
            int bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) out.write(n >>> (8 * i));
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
