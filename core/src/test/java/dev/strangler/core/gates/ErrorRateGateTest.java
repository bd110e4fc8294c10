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
}
