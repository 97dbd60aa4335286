package dev.pedidos.groups.rewind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.listener.ConsumerSeekAware.ConsumerSeekCallback;

/**
 * The targets of {@link GroupRewind} against a group's committed offsets, the cluster's answers given
 * by a mocked {@link Admin}: two partitions, the group caught up on partition 0 and lagging on
 * partition 1.
 */
class GroupRewindTest {

    private static final String TOPIC = "pedidos-pendentes";

    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);

    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    private static final Instant TEN_MINUTES_AGO = Instant.parse("2026-11-27T14:50:00Z");

    private final Admin admin = mock(Admin.class, RETURNS_DEEP_STUBS);

    private final ConsumerSeekCallback callback = mock(ConsumerSeekCallback.class);

    private final RewindableListener listener = mock(RewindableListener.class);

    private final GroupRewind rewind = new GroupRewind(admin, () -> List.of(listener), "billing", TOPIC, 1_000);

    /** Partition 0: log end 1,000, group committed 1,000. Partition 1: log end 1,000, group committed 100. */
    private void cluster(long p0AtInstant, long p1AtInstant) {
        Node node = new Node(1, "127.0.0.1", 9092);
        List<TopicPartitionInfo> partitions = List.of(new TopicPartitionInfo(0, node, List.of(node), List.of(node)),
                new TopicPartitionInfo(1, node, List.of(node), List.of(node)));
        when(admin.describeTopics(List.of(TOPIC)).allTopicNames())
                .thenReturn(KafkaFuture.completedFuture(Map.of(TOPIC, new TopicDescription(TOPIC, false, partitions))));
        when(admin.listOffsets(anyMap())).thenAnswer(invocation -> {
            Map<TopicPartition, OffsetSpec> specs = invocation.getArgument(0);
            Map<TopicPartition, KafkaFuture<ListOffsetsResultInfo>> offsets = new HashMap<>();
            specs.forEach((tp, spec) -> {
                long offset = spec instanceof OffsetSpec.TimestampSpec ? (tp.equals(P0) ? p0AtInstant : p1AtInstant) : 1_000;
                offsets.put(tp, KafkaFuture.completedFuture(new ListOffsetsResultInfo(offset, 0, Optional.empty())));
            });
            return new ListOffsetsResult(offsets);
        });
        when(admin.listConsumerGroupOffsets("billing").partitionsToOffsetAndMetadata())
                .thenReturn(KafkaFuture.completedFuture(Map.of(P0, new OffsetAndMetadata(1_000), P1, new OffsetAndMetadata(100))));
        when(listener.assigned()).thenReturn(Map.of(P0, List.of(callback), P1, List.of(callback)));
    }

    @Test
    void toAnInstantALaggingPartitionStaysAtItsCommittedOffsetAndNothingIsSkipped() {
        // given the instant's first records at offset 600 of each partition
        cluster(600, 600);

        // when the group is rewound to it
        GroupRewind.Result result = rewind.rewind(TEN_MINUTES_AGO, null);

        // then partition 0 reads 400 records again, partition 1 goes on from 100, not 600
        verify(callback).seek(TOPIC, 0, 600);
        verify(callback).seek(TOPIC, 1, 100);
        assertThat(result.partitions()).containsExactly(new GroupRewind.PartitionRewind(0, 1_000, 600, true),
                new GroupRewind.PartitionRewind(1, 100, 100, true));
        assertThat(result.reRead()).isEqualTo(400);
        assertThat(result.skipped()).isZero();
    }

    @Test
    void toAnInstantWithNoRecordAfterItNothingIsSkipped() {
        // given an instant after every record: the cluster answers -1, the log end stands for it
        cluster(-1, -1);

        GroupRewind.Result result = rewind.rewind(Instant.parse("2099-01-01T00:00:00Z"), null);

        verify(callback).seek(TOPIC, 0, 1_000);
        verify(callback).seek(TOPIC, 1, 100);
        assertThat(result.skipped()).isZero();
    }

    @Test
    void anOffsetLeftOutIsABadRequestNotA500() {
        cluster(600, 600);
        Map<Integer, Long> offsets = new HashMap<>();
        offsets.put(0, null);

        assertThatIllegalArgumentException().isThrownBy(() -> rewind.rewind(null, offsets))
                .withMessageContaining("no offset");
        verifyNoInteractions(callback);
    }

    @Test
    void givenOffsetsMayMoveForwardAndTheAnswerCountsWhatTheySkip() {
        cluster(600, 600);

        GroupRewind.Result result = rewind.rewind(null, Map.of(1, 400L));

        verify(callback).seek(TOPIC, 1, 400);
        assertThat(result.skipped()).isEqualTo(300);
        assertThat(result.reRead()).isZero();
    }
}
