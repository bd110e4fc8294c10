package dev.strangler.gateway.observe;

import dev.strangler.core.stage.Stage;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutcomeQueueTest {
    private static final Outcome OUTCOME = new Outcome("id", "GET", "/x", "r", Stage.LIVE, "posts", 200, 1, 0, 0, false, "");

    /** An offer of the entry with this time, or (when negative) a drain. */
    @Provide
    Arbitrary<List<Long>> offersAndDrains() {
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(5, Arbitraries.longs().between(0, 1_000_000)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(-1L)))
                .list().ofMaxSize(200);
    }

    @Property(tries = 2_000)
    void oneThreadSeesWhatABoundedFifoQueueWouldHold(@ForAll("offersAndDrains") List<Long> actions) {
        int capacity = 8;
        OutcomeQueue queue = new OutcomeQueue(capacity);
        ArrayDeque<Long> reference = new ArrayDeque<>();
        for (long action : actions) {
            if (action >= 0) {
                boolean fits = reference.size() < capacity;
                if (fits) reference.add(action);
                assertThat(queue.offer(OUTCOME, action)).as("offer of %s with %s waiting", action, reference.size())
                        .isEqualTo(fits ? reference.size() : 0);
            } else {
                List<Long> drained = new ArrayList<>();
                int count = queue.drain((copies, slot) -> drained.add(copies.epochMillis(slot)));
                assertThat(drained).hasSize(count).containsExactlyElementsOf(reference);
                assertThat(queue.isEmpty()).isTrue();
                reference.clear();
            }
        }
    }

    @Test
    void exactlyTheCapacityWaitsAndEachEntryDrainedMakesRoomForOneMore() {
        OutcomeQueue queue = new OutcomeQueue(4);
        for (int i = 0; i < 4; i++) assertThat(queue.offer(OUTCOME, i)).as("entries waiting").isEqualTo(i + 1);
        assertThat(queue.offer(OUTCOME, 4)).as("refused").isZero();
        assertThat(queue.isEmpty()).isFalse();
        assertThat(queue.drain((copies, slot) -> { })).isEqualTo(4);
        assertThat(queue.isEmpty()).isTrue();
        for (int i = 0; i < 4; i++) assertThat(queue.offer(OUTCOME, i)).as("entries waiting").isEqualTo(i + 1);
        assertThat(queue.offer(OUTCOME, 4)).as("refused").isZero();
    }

    @Test
    void aCapacityThatIsNotAPowerOfTwoIsRefusedWithTheValue() {
        assertThatThrownBy(() -> new OutcomeQueue(1000)).hasMessage("capacity: 1000 (expected: a power of two)");
    }
}
