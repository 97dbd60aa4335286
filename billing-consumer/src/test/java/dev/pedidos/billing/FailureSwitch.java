package dev.pedidos.billing;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A failure a test switches on and off: while an order ID is in {@link #failing}, recording its
 * invoice fails as a bug would (not as an unavailable database), so the record is retried and
 * dead-lettered; once it is removed, the same record succeeds (a replay after the fix).
 */
@TestConfiguration(proxyBeanMethods = false)
class FailureSwitch {

    /** Order IDs whose invoice cannot be recorded now. */
    final Set<UUID> failing = ConcurrentHashMap.newKeySet();

    @Bean
    static BeanPostProcessor failingLedger(org.springframework.beans.factory.ObjectProvider<FailureSwitch> failureSwitch) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (!(bean instanceof InvoiceLedger ledger)) {
                    return bean;
                }
                return new InvoiceLedger() {
                    @Override
                    public List<Recorded> record(List<Entry> entries) {
                        Set<UUID> failing = failureSwitch.getObject().failing;
                        entries.stream().map(entry -> entry.invoice().orderId()).filter(failing::contains).findFirst()
                                .ifPresent(orderId -> {
                                    throw new IllegalStateException("switched to fail for order " + orderId);
                                });
                        return ledger.record(entries);
                    }

                    @Override
                    public Optional<Stored> find(UUID orderId) {
                        return ledger.find(orderId);
                    }

                    @Override
                    public List<Stored> newestFirst(int limit, long before) {
                        return ledger.newestFirst(limit, before);
                    }
                };
            }
        };
    }
}
