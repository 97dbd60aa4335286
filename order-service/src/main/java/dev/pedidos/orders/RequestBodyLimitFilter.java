package dev.pedidos.orders;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps request bodies at {@value #MAX_BODY_BYTES} bytes (64 KiB): neither Tomcat nor Spring MVC
 * limits a JSON body ({@code server.tomcat.max-http-form-post-size} covers form posts only).
 *
 * <p>The request's input stream is wrapped: a body declared larger ({@code Content-Length}) fails
 * on the first read, before a byte is consumed; a body of unknown length (chunked) fails as soon
 * as its {@value #MAX_BODY_BYTES}+1-th byte is read. Either way the read throws
 * {@link PayloadTooLargeException}, which {@link OrderProblems} answers with a 413 problem.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10) // before anything that reads the body, e.g. FormContentFilter
class RequestBodyLimitFilter extends OncePerRequestFilter {

    /** Largest accepted body, in bytes. An order of 100 lines is well under 32 KiB. */
    static final long MAX_BODY_BYTES = 64 * 1024;

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(new LimitedBodyRequest(request), response);
    }

    /** A request body went over {@link #MAX_BODY_BYTES}. */
    static final class PayloadTooLargeException extends IOException {

        PayloadTooLargeException() {
            super("Request body exceeds " + MAX_BODY_BYTES + " bytes");
        }
    }

    private static final class LimitedBodyRequest extends HttpServletRequestWrapper {

        private ServletInputStream body;

        LimitedBodyRequest(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (body == null) {
                body = new LimitedInputStream(super.getInputStream(), getContentLengthLong());
            }
            return body;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding != null ? Charset.forName(encoding) : StandardCharsets.UTF_8;
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }

    private static final class LimitedInputStream extends ServletInputStream {

        private final ServletInputStream delegate;
        private final long declaredLength;
        private long read;

        LimitedInputStream(ServletInputStream delegate, long declaredLength) {
            this.delegate = delegate;
            this.declaredLength = declaredLength;
        }

        @Override
        public int read() throws IOException {
            checkDeclaredLength();
            int b = delegate.read();
            if (b != -1) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            checkDeclaredLength();
            int n = delegate.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void checkDeclaredLength() throws PayloadTooLargeException {
            if (declaredLength > MAX_BODY_BYTES) {
                throw new PayloadTooLargeException();
            }
        }

        private void count(int n) throws PayloadTooLargeException {
            read += n;
            if (read > MAX_BODY_BYTES) {
                throw new PayloadTooLargeException();
            }
        }

        @Override
        public boolean isFinished() {
            return delegate.isFinished();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            delegate.setReadListener(listener);
        }
    }
}
