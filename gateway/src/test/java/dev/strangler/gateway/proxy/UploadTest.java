package dev.strangler.gateway.proxy;

import io.netty.util.AsciiString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** How an {@code Expect} value is read (RFC 9110 §10.1.1): the {@code 100-continue} expectation, and only it. */
class UploadTest {

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"100-continue", "100-Continue", "100-CONTINUE", " 100-continue", "100-continue ", "\t100-continue\t",
            " \t100-continue \t", "100-continue,", ", 100-continue", "100-continue, ,", "100-continue, 100-Continue"})
    void oneHundredContinueInAnyCaseWithWhitespaceOrEmptyElementsAroundIsTheContinueExpectation(String expect) {
        assertThat(Upload.isContinue(expect)).isTrue();
        assertThat(Upload.isContinue(new AsciiString(expect))).as("as Netty's header value").isTrue();
    }

    /** Another expectation with it is not "only continue": the gateway meets no other, so the value goes on as it came. */
    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"100-continue, foo", "foo, 100-continue", "100-continue;x=1", "100-continue=1", "100 continue", "100-continu",
            "100-continuee", "continue", "", " ", ",", "\t,\t", "1OO-continue"})
    void anythingElseIsNotTheContinueExpectation(String expect) {
        assertThat(Upload.isContinue(expect)).isFalse();
    }

    /** Read in place: a {@code toString().trim()} allocated a string for every {@code Expect} line read. */
    @Test
    void readingAnExpectValueAllocatesNothing() {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        AsciiString expect = new AsciiString(" 100-Continue ");
        int reads = 20_000;
        int continues = 0;
        for (int i = 0; i < reads; i++) if (Upload.isContinue(expect)) continues++; // warm
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < reads; i++) if (Upload.isContinue(expect)) continues++;
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(continues).isEqualTo(2 * reads);
        assertThat(allocated / reads).as("bytes per read (%s in all)", allocated).isZero();
    }
}
