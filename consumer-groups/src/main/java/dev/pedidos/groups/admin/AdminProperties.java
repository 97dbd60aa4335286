package dev.pedidos.groups.admin;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The operator who may replay dead letters and rewind the group ({@code pedidos.admin.*}, e.g. the
 * environment variables {@code PEDIDOS_ADMIN_USERNAME}, {@code PEDIDOS_ADMIN_PASSWORD}). There is no
 * default password: without one every admin request is refused with {@code 401}.
 *
 * @param username the user name
 * @param password the password, plain or in Spring Security's {@code {id}encoded} form (e.g.
 *                 {@code {bcrypt}$2a$...}); {@code null}: no admin
 */
@ConfigurationProperties(prefix = "pedidos.admin")
public record AdminProperties(@DefaultValue("admin") String username, @Nullable String password) {
}
