package dev.strangler.gateway.observe;

import dev.strangler.core.http.Rejection;
import dev.strangler.core.stage.Stage;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What an outcome says went wrong: a few failure kinds for metrics and the controller, the broken rule for the access log. */
class OutcomeTest {
    private static Outcome failedWith(Optional<Failure> failure, Optional<Rejection.Code> refusal) {
        return new Outcome("id", "POST", "/p", "posts", Stage.LIVE, "posts", 0, 1, 0, 0, Optional.empty(), failure, refusal, "",
                RequestDetails.NONE);
    }

    @Test
    void aRefusedRequestIsABadRequestWhoseErrorIsTheRuleItBroke() {
        Outcome o = Outcome.refused("id", "TRACE", "/p", "strangler", 405, 1, Rejection.Code.METHOD_NOT_ALLOWED);

        assertThat(o.failure()).contains(Failure.BAD_REQUEST);
        assertThat(o.error()).isEqualTo("method-not-allowed");
        assertThat(o.route()).isEqualTo(Outcome.UNROUTED);
        assertThat(o.backendFailure()).as("never a backend's failure").isEmpty();
        assertThat(o.serviceFailedHard()).isFalse();
    }

    @Test
    void anOutcomeThatWasNotRefusedHasItsFailuresLabelAsItsError() {
        assertThat(failedWith(Optional.of(Failure.CLIENT_ABORTED), Optional.empty()).error()).isEqualTo("client-aborted");
        assertThat(failedWith(Optional.empty(), Optional.empty()).error()).isEmpty();
    }

    @Test
    void aRefusalIsOnlyEverABadRequest() {
        assertThatThrownBy(() -> failedWith(Optional.of(Failure.CLIENT_ABORTED), Optional.of(Rejection.Code.BAD_CHUNK)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("failure: client-aborted with refusal bad-chunk (expected: bad-request)");
        assertThatThrownBy(() -> failedWith(Optional.empty(), Optional.of(Rejection.Code.BAD_CHUNK)))
                .hasMessage("failure: none with refusal bad-chunk (expected: bad-request)");
    }

    @Test
    void theUntypedFormTakesOnlyAFailuresLabelSoNoRuleIsSilentlyLost() {
        Outcome timedOut = new Outcome("id", "GET", "/p", "r", Stage.LIVE, "posts", 504, 1, 0, 0, false, "response-timeout");
        assertThat(timedOut.failure()).contains(Failure.RESPONSE_TIMEOUT);

        assertThatThrownBy(() -> new Outcome("id", "GET", "/p", "r", Stage.LIVE, "strangler", 400, 1, 0, 0, false, "bad-chunk"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("error: \"bad-chunk\" (expected: a Failure's label or empty");
    }
}
