package dev.pedidos.orders;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class OrderOutcomeMetricsTest {

    @ParameterizedTest
    @CsvSource({
            "202, accepted, none",
            "400, rejected, invalid",
            "413, rejected, too_large",
            "415, rejected, unsupported_media_type",
            "422, rejected, idempotency_key_reused",
            "503, not_acknowledged, none"})
    void eachPostIsCountedByTheStatusItGot(int status, String outcome, String reason) throws Exception {
        // given
        MeterRegistry meters = new SimpleMeterRegistry();
        var filter = new OrderOutcomeMetrics(new StaticListableBeanFactory(java.util.Map.of("meters", meters))
                .getBeanProvider(MeterRegistry.class));
        MockHttpServletResponse response = new MockHttpServletResponse();

        // when
        filter.doFilter(new MockHttpServletRequest("POST", "/orders"), response,
                new MockFilterChain() {
                    @Override
                    public void doFilter(jakarta.servlet.ServletRequest request, jakarta.servlet.ServletResponse answer) {
                        ((MockHttpServletResponse) answer).setStatus(status);
                    }
                });

        // then
        assertThat(meters.get("pedidos.orders").tag("outcome", outcome).tag("reason", reason).counter().count())
                .isEqualTo(1);
    }

    @Test
    void aPostRefusedForTooManyInFlightIsCountedAsOverloaded() throws Exception {
        MeterRegistry meters = new SimpleMeterRegistry();
        var filter = new OrderOutcomeMetrics(new StaticListableBeanFactory(java.util.Map.of("meters", meters))
                .getBeanProvider(MeterRegistry.class));

        filter.doFilter(new MockHttpServletRequest("POST", "/orders"), new MockHttpServletResponse(),
                new MockFilterChain() {
                    @Override
                    public void doFilter(jakarta.servlet.ServletRequest request, jakarta.servlet.ServletResponse answer) {
                        // as OrderProblems answers a refused publish
                        request.setAttribute(OrderOutcomeMetrics.OUTCOME, OrderOutcomeMetrics.OVERLOADED);
                        ((MockHttpServletResponse) answer).setStatus(503);
                    }
                });

        assertThat(meters.get("pedidos.orders").tag("outcome", "overloaded").tag("reason", "none").counter().count())
                .isEqualTo(1);
        assertThat(meters.find("pedidos.orders").tag("outcome", "not_acknowledged").counters()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"GET, /orders", "POST, /other"})
    void otherRequestsAreNotCounted(String method, String path) throws Exception {
        MeterRegistry meters = new SimpleMeterRegistry();
        var filter = new OrderOutcomeMetrics(new StaticListableBeanFactory(java.util.Map.of("meters", meters))
                .getBeanProvider(MeterRegistry.class));

        filter.doFilter(new MockHttpServletRequest(method, path), new MockHttpServletResponse(), new MockFilterChain());

        assertThat(meters.find("pedidos.orders").counters()).isEmpty();
    }
}
