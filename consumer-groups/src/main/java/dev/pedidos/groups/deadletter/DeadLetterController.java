package dev.pedidos.groups.deadletter;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.pedidos.groups.deadletter.DeadLetters.DeadLetter;
import dev.pedidos.groups.deadletter.DeadLetters.ReplaySelection;
import dev.pedidos.groups.deadletter.DeadLetters.Replayed;
import dev.pedidos.groups.status.StatusNotPublishedException;

/**
 * The HTTP edge of a group's dead letters: {@code GET /dead-letters} (open) and
 * {@code POST /dead-letters/replay} (admin, HTTP Basic; see {@code AdminSecurityAutoConfiguration}).
 */
@RestController
public class DeadLetterController {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterController.class);

    private final DeadLetters deadLetters;

    /** @param deadLetters the group's dead letters */
    public DeadLetterController(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    /**
     * @param page page number, from 0
     * @param size entries per page, 1 to 500
     * @return the page: {@code group}, {@code topic}, {@code total}, {@code page}, {@code size} and
     *         {@code entries}, newest first
     */
    @GetMapping("/dead-letters")
    Page list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        if (page < 0 || size < 1 || size > 500) {
            throw new IllegalArgumentException("page must be 0 or more, size between 1 and 500");
        }
        List<DeadLetter> all = deadLetters.list();
        int from = (int) Math.min((long) page * size, all.size());
        return new Page(deadLetters.group(), deadLetters.topic(), all.size(), page, size,
                all.subList(from, Math.min(from + size, all.size())));
    }

    /**
     * @param selection {@code {"partition": 3, "offset": 12}}, {@code {"orderId": "..."}} or
     *                  {@code {"since": "2026-11-27T14:00:00Z"}}
     * @return {@code 200} with what was replayed; {@code 404} when no dead letter is at the given
     *         partition and offset; {@code 400} for a selection that is not exactly one of the three
     */
    @PostMapping("/dead-letters/replay")
    ResponseEntity<?> replay(@RequestBody ReplaySelection selection) {
        List<Replayed> replayed = deadLetters.replay(selection);
        if (replayed.isEmpty() && selection.partition() != null) {
            return ResponseEntity.of(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                    "no dead letter at partition %d offset %d of %s".formatted(selection.partition(), selection.offset(),
                            deadLetters.topic()))).build();
        }
        return ResponseEntity.ok(new Replays(deadLetters.group(), replayed));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler({DeadLetters.ReplayFailedException.class, StatusNotPublishedException.class})
    ProblemDetail notAcknowledged(RuntimeException e) {
        log.warn("Replay of group {} answered 503: {}", deadLetters.group(), e.getMessage());
        return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    }

    /** One page of dead letters. */
    record Page(String group, String topic, int total, int page, int size, List<DeadLetter> entries) {
    }

    /** What a replay request sent back. */
    record Replays(String group, List<Replayed> replayed) {
    }
}
