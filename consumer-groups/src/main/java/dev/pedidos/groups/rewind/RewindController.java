package dev.pedidos.groups.rewind;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /admin/rewind} (admin, HTTP Basic): the group reads its source topic again from an instant or offsets. */
@RestController
public class RewindController {

    private static final Logger log = LoggerFactory.getLogger(RewindController.class);

    private final GroupRewind rewind;

    /** @param rewind the group's rewind */
    public RewindController(GroupRewind rewind) {
        this.rewind = rewind;
    }

    /**
     * @param request {@code {"to": "2026-11-27T14:00:00Z"}} or {@code {"offsets": {"0": 120, "3": 0}}}
     * @return {@code 200} with the records to read again and skipped, per partition; {@code 400} for a
     *         request with neither or both
     */
    @PostMapping("/admin/rewind")
    GroupRewind.Result rewind(@RequestBody Request request) {
        return rewind.rewind(request.to(), request.offsets());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(IllegalStateException.class)
    ProblemDetail unavailable(IllegalStateException e) {
        log.warn("Rewind answered 503, nothing was moved: {}", e.getMessage());
        return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    }

    /**
     * @param to      instant to read again from
     * @param offsets partition → next offset
     */
    record Request(@Nullable Instant to, @Nullable Map<Integer, Long> offsets) {
    }
}
