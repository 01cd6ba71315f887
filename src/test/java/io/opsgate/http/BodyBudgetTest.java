package io.opsgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BodyBudgetTest {
    private final List<String> shed = new ArrayList<>();

    private BodyBudget.Holder holder(String name) {
        return () -> shed.add(name);
    }

    @Test
    void aSmallerBodyShedsTheLargestPartialOneAndEqualsWaitTheirTurn() {
        BodyBudget budget = new BodyBudget(100);
        BodyBudget.Holder a = holder("a");
        BodyBudget.Holder b = holder("b");
        BodyBudget.Holder c = holder("c");
        BodyBudget.Holder small = holder("small");
        assertThat(budget.reserve(a, 60)).isTrue();
        assertThat(budget.reserve(b, 40)).isTrue();
        assertThat(budget.reserve(c, 60)).as("as large as the largest: no room, nothing shed").isFalse();
        assertThat(shed).isEmpty();
        assertThat(budget.reserve(small, 10)).isTrue();
        assertThat(shed).as("the largest partial body").containsExactly("a");
        assertThat(budget.used()).isEqualTo(50);
        assertThat(budget.shed()).isEqualTo(1);
        assertThat(budget.refused()).isEqualTo(1);
        budget.release(a); // the shed body's own release afterwards changes nothing
        assertThat(budget.used()).isEqualTo(50);
    }

    @Test
    void aCompleteBodyIsNeverShedAndReleaseGivesEverythingBack() {
        BodyBudget budget = new BodyBudget(100);
        BodyBudget.Holder done = holder("done");
        BodyBudget.Holder growing = holder("growing");
        assertThat(budget.reserve(done, 90)).isTrue();
        budget.complete(done);
        assertThat(budget.reserve(growing, 5)).isTrue();
        assertThat(budget.reserve(growing, 5)).isTrue();
        assertThat(budget.reserve(growing, 1)).isFalse();
        assertThat(shed).isEmpty();
        budget.release(done);
        budget.release(growing);
        assertThat(budget.used()).isZero();
    }
}
