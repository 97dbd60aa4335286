package dev.pedidos.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.servlet.ServletRequest;

import dev.pedidos.orders.RequestBodyLimitFilter.PayloadTooLargeException;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class RequestBodyLimitFilterTest {

    private static final int LIMIT = (int) RequestBodyLimitFilter.MAX_BODY_BYTES;

    private final RequestBodyLimitFilter filter = new RequestBodyLimitFilter();

    @Test
    void bodyOfExactlyTheLimitIsReadWhole() throws Exception {
        InputStream body = filteredBody(new MockHttpServletRequest("POST", "/orders"), LIMIT);

        assertThat(body.readAllBytes()).hasSize(LIMIT);
    }

    @Test
    void declaredLengthOverTheLimitFailsOnTheFirstRead() throws Exception {
        InputStream body = filteredBody(new MockHttpServletRequest("POST", "/orders"), LIMIT + 1);

        assertThatThrownBy(body::read).isInstanceOf(PayloadTooLargeException.class);
    }

    @Test
    void chunkedBodyFailsOnceItPassesTheLimit() throws Exception {
        InputStream body = filteredBody(new ChunkedRequest(), LIMIT + 1);

        byte[] first = body.readNBytes(LIMIT);
        assertThat(first).hasSize(LIMIT);
        assertThatThrownBy(body::read).isInstanceOf(PayloadTooLargeException.class);
    }

    @Test
    void chunkedBodyFailsWhenReadInBlocks() throws Exception {
        InputStream body = filteredBody(new ChunkedRequest(), 3 * LIMIT);

        assertThatThrownBy(body::readAllBytes).isInstanceOf(PayloadTooLargeException.class);
    }

    private InputStream filteredBody(MockHttpServletRequest request, int bodyBytes) throws Exception {
        request.setContent(new byte[bodyBytes]);
        AtomicReference<ServletRequest> seen = new AtomicReference<>();
        filter.doFilter(request, new MockHttpServletResponse(), new MockFilterChain() {
            @Override
            public void doFilter(ServletRequest filtered, jakarta.servlet.ServletResponse response) {
                seen.set(filtered);
            }
        });
        try {
            return seen.get().getInputStream();
        }
        catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A request whose length is unknown, as with {@code Transfer-Encoding: chunked}. */
    private static final class ChunkedRequest extends MockHttpServletRequest {

        ChunkedRequest() {
            super("POST", "/orders");
            addHeader("Transfer-Encoding", "chunked");
        }

        @Override
        public int getContentLength() {
            return -1;
        }

        @Override
        public long getContentLengthLong() {
            return -1;
        }
    }
}
