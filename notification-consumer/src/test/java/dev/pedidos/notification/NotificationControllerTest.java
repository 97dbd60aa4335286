package dev.pedidos.notification;

import static org.hamcrest.Matchers.containsString;
import static org.mockito.BDDMockito.given;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The HTTP contract of {@code GET /notifications/{orderId}}, with the sent log replaced by a mock. */
@WebMvcTest(NotificationController.class)
class NotificationControllerTest {

    private static final UUID ORDER_ID = UUID.fromString("1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d");

    @Autowired
    private MockMvc mvc;

    @MockitoBean
    private SentLog sentLog;

    @Test
    void sentConfirmationIsShown() throws Exception {
        // given
        given(sentLog.find(ORDER_ID)).willReturn(Optional.of(new SentNotification(ORDER_ID,
                "<order-" + ORDER_ID + "@pedidos.dev>", "ana@example.com", "Pedido 1A2B3C4D5E6F confirmado",
                Instant.parse("2025-11-21T12:00:00.123456Z"), 4, 42L)));

        // when / then
        mvc.perform(get("/notifications/{orderId}", ORDER_ID))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.orderId").value(ORDER_ID.toString()))
                .andExpect(jsonPath("$.recipient").value("ana@example.com"))
                .andExpect(jsonPath("$.subject").value("Pedido 1A2B3C4D5E6F confirmado"))
                .andExpect(jsonPath("$.messageId").value("<order-" + ORDER_ID + "@pedidos.dev>"))
                .andExpect(jsonPath("$.sentAt").value("2025-11-21T12:00:00.123456Z"))
                .andExpect(jsonPath("$.sourcePartition").doesNotExist());
    }

    @Test
    void orderWithoutConfirmationIsA404Problem() throws Exception {
        given(sentLog.find(ORDER_ID)).willReturn(Optional.empty());

        mvc.perform(get("/notifications/{orderId}", ORDER_ID))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(404))
                .andExpect(jsonPath("$.title").value("Notification not found"))
                .andExpect(jsonPath("$.detail").value("No confirmation of order " + ORDER_ID + " has been sent"))
                .andExpect(jsonPath("$.instance").value("/notifications/" + ORDER_ID));
    }

    @Test
    void orderIdThatIsNotAUuidIsA400Problem() throws Exception {
        mvc.perform(get("/notifications/{orderId}", "pedido-42"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(jsonPath("$.detail").value(containsString("orderId")));
    }

    @Test
    void unavailableDatabaseIsA503ProblemWithRetryAfter() throws Exception {
        given(sentLog.find(ORDER_ID)).willThrow(new CannotGetJdbcConnectionException("Connection is not available"));

        mvc.perform(get("/notifications/{orderId}", ORDER_ID))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "5"))
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("Sent log unavailable"));
    }
}
