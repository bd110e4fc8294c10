package dev.strangler.core.gates;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorRateGateTest {
    private static final ErrorRateGate GATE = new ErrorRateGate(0.01, 0.025);

    private static WindowCounts window(long sReq, long sErr, long mReq, long mErr) {
        return new WindowCounts(sReq, sErr, 0, mReq, mErr);
    }

    @Test
    void threeFailedRequestsOfThreeAgainstAHealthyMonolithFail() {
        List<WindowCounts> windows = new ArrayList<>();
        windows.add(window(2, 2, 2000, 4));
        assertThat(GATE.judge(windows).verdict()).isEqualTo(Verdict.NOT_ENOUGH_DATA);
        windows.add(window(1, 1, 2000, 4));
        GateResult result = GATE.judge(windows);
        assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(result.explanation()).startsWith("service errors 100.00% (3/3) vs monolith 0.20% (8/4000) over the same 2 windows: +99.80 points");
    }

    @Test
    void fivePointsMoreErrorsFailWithinAThousandServiceRequests() {
        // 5.2 % against 0.2 %, spread evenly: 26 errors in every 500 requests.
        List<WindowCounts> windows = new ArrayList<>();
        for (int i = 0; i < 50; i++) windows.add(window(20, i % 25 == 0 ? 2 : 1, 2000, 4));
        GateResult result = GATE.judge(windows);
        assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(result.explanation()).contains("confidently above the allowed 1.00 points").endsWith("FAIL");
    }

    @Test
    void errorFreeSidesPassOnceThereIsEnoughDataButNotBefore() {
        assertThat(GATE.judge(Collections.nCopies(10, window(20, 0, 2000, 0))).verdict()).isEqualTo(Verdict.NOT_ENOUGH_DATA);
        GateResult result = GATE.judge(Collections.nCopies(60, window(20, 0, 2000, 0)));
        assertThat(result.verdict()).isEqualTo(Verdict.PASS);
        assertThat(result.explanation()).contains("confidently within the allowed 1.00 points").endsWith("PASS");
    }

    @Test
    void theSidesAreComparedWithinWindowsSoABadHourCountsAgainstBoth() {
        // The service only saw the bad hour; the monolith saw the quiet one too. Pooled, the service
        // looks 9 points worse; hour by hour, it is exactly as good.
        List<WindowCounts> windows = new ArrayList<>();
        for (int i = 0; i < 30; i++) windows.add(window(0, 0, 10_000, 0));
        for (int i = 0; i < 30; i++) windows.add(window(100, 10, 100, 10));
        GateResult result = GATE.judge(windows);
        assertThat(result.verdict()).isNotEqualTo(Verdict.FAIL);
        assertThat(result.estimate()).isZero();
    }

    @Test
    void withoutAWindowOfBothSidesThereIsNothingToCompare() {
        GateResult result = GATE.judge(List.of(window(10, 10, 0, 0)));
        assertThat(result.verdict()).isEqualTo(Verdict.NOT_ENOUGH_DATA);
        assertThat(result.explanation()).isEqualTo("no window with requests on both sides yet: NOT_ENOUGH_DATA");
    }

    @Test
    void oneErrorInAQuietStepPassesAtTheFirstEligibleLookWhereTheSequentialTestAloneWouldWait() {
        // 540 service requests with one error against a 0.2 % monolith: the exact test at the first
        // look that can promote is sure (P(X <= 1) = 1.4 % at the 1.16 % bound, under 80 % of 2.5 %);
        // the always-valid test, with a fifth of the alpha, is not yet.
        List<WindowCounts> windows = new ArrayList<>();
        for (int i = 0; i < 30; i++) windows.add(window(18, i == 7 ? 1 : 0, 1800, 4));

        assertThat(GATE.judge(windows, 0).verdict()).isEqualTo(Verdict.NOT_ENOUGH_DATA);
        GateResult result = GATE.judge(windows, 30);
        assertThat(result.verdict()).isEqualTo(Verdict.PASS);
        assertThat(result.pNotWorse()).isBetween(0.01, 0.025);
    }

    @Test
    void theFirstLookTestReadsOnlyTheWindowsOfThatLook() {
        // The same 540 requests, then 20 more windows with 4 errors in 360: the exact test still
        // judges the first 30 windows only (one test, whatever comes later), so it still passes;
        // judged as if the first eligible look were now, 5 errors in 900 would not.
        List<WindowCounts> windows = new ArrayList<>();
        for (int i = 0; i < 30; i++) windows.add(window(18, i == 7 ? 1 : 0, 1800, 4));
        for (int i = 0; i < 20; i++) windows.add(window(18, i % 5 == 0 ? 1 : 0, 1800, 4));

        assertThat(GATE.judge(windows, 30).verdict()).isEqualTo(Verdict.PASS);
        assertThat(GATE.judge(windows, 50).verdict()).isEqualTo(Verdict.NOT_ENOUGH_DATA);
    }
}
