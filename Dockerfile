# syntax=docker/dockerfile:1
#
# One image recipe for the three services, picked with the build argument SERVICE (the Maven module:
# order-service, billing-consumer or notification-consumer). They are built and run the same way, so
# one file keeps the base images, the user and the JVM launch in one place. docker-compose.yml builds
# all three from it; by hand:
#   docker build --build-arg SERVICE=billing-consumer -t pedidos/billing-consumer:local .
#
# Stages:
#   build    compiles the three services at once with the Maven wrapper. It does not depend on SERVICE,
#            so BuildKit builds it once and the three images share it (same instructions, same context).
#   extract  splits SERVICE's executable jar into Spring Boot's layers.
#   runtime  a JRE, a non-root user and the layers, least likely to change first: a code change
#            rebuilds only the last layer (a few hundred KB), never the ~100 MB of dependencies.
#
# Network during the build: Maven Central only (the wrapper fetches Maven 3.9.11, Maven the rest).

FROM eclipse-temurin:25.0.3_9-jdk-noble AS build
WORKDIR /workspace
# The whole reactor (see .dockerignore): Maven reads every module's pom even when building a few.
COPY . .
# The local repository and the wrapper's Maven live in a build cache that survives between builds, so a
# rebuild after a code change downloads nothing. `sharing=locked`: the three images' builds never write
# to one repository at the same time. The root pom's toolchains plugin selects the JDK 25 running Maven.
# Tests are neither compiled nor run here (maven.test.skip): `./mvnw verify` (CI) runs them against real
# brokers; an image build compiles only what ships.
RUN --mount=type=cache,id=pedidos-maven,target=/root/.m2,sharing=locked \
    ./mvnw -B -ntp -pl order-service,billing-consumer,notification-consumer -am package -Dmaven.test.skip=true \
    && mkdir /jars \
    && for service in order-service billing-consumer notification-consumer; do \
         cp "$service/target/$service"-*.jar "/jars/$service.jar"; \
       done

FROM build AS extract
ARG SERVICE
WORKDIR /extract
# Layers of the jar (dependencies, spring-boot-loader, snapshot-dependencies, application), each one
# a directory: application/application.jar runs with `java -jar` and finds its libraries in lib/.
RUN case "$SERVICE" in \
      order-service|billing-consumer|notification-consumer) ;; \
      *) echo "Build argument SERVICE must be order-service, billing-consumer or notification-consumer, not '$SERVICE'" >&2; exit 1 ;; \
    esac \
    && cp "/jars/$SERVICE.jar" application.jar \
    && java -Djarmode=tools -jar application.jar extract --layers --destination layers

FROM eclipse-temurin:25.0.3_9-jre-noble AS runtime
ARG SERVICE
# A system user without a shell or home; the application files stay owned by root, read-only to it.
RUN groupadd --system --gid 10001 pedidos \
    && useradd --system --uid 10001 --gid pedidos --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin pedidos
# Health check without curl or wget (docker-compose.yml: `http-health http://127.0.0.1:PORT/actuator/health`).
COPY --chmod=755 docker/http-health /usr/local/bin/http-health
WORKDIR /app
COPY --from=extract /extract/layers/dependencies/ ./
COPY --from=extract /extract/layers/spring-boot-loader/ ./
COPY --from=extract /extract/layers/snapshot-dependencies/ ./
COPY --from=extract /extract/layers/application/ ./
LABEL org.opencontainers.image.title="$SERVICE" \
      org.opencontainers.image.description="pedidos pipeline: $SERVICE (Spring Boot)"
USER 10001:10001
# Exec form: java is PID 1 and gets SIGTERM itself, so `docker compose stop` shuts the service down
# gracefully (server.shutdown: graceful; the listener containers finish their current records).
# An OutOfMemoryError ends the JVM (exit code 3) instead of leaving a service whose threads died one by one;
# docker-compose.yml restarts it (restart: on-failure), and uncommitted records are read again.
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-jar", "application.jar"]
