package dev.pedidos.groups.rewind;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.listener.AbstractConsumerSeekAware;
import org.springframework.kafka.listener.ConsumerSeekAware.ConsumerSeekCallback;

/**
 * Base class of a group's {@code @KafkaListener} bean that {@link GroupRewind} can move while it runs:
 * Spring Kafka's {@link AbstractConsumerSeekAware} keeps the seek callback of each assigned
 * partition; a seek through it is performed by the consumer's own thread before its next poll
 * (Spring Kafka reference, "Seeking to a Specific Offset").
 */
public abstract class RewindableListener extends AbstractConsumerSeekAware {

    /** @return the callback of each partition assigned to this instance now */
    Map<TopicPartition, List<ConsumerSeekCallback>> assigned() {
        return getTopicsAndCallbacks();
    }
}
