# syntax=docker/dockerfile:1
#
# Images of the distributed deployment (docker-compose.yml), all from one build:
#   build   the whole Maven reactor, once (JDK 17, the Maven wrapper's pinned Maven);
#   envoy   the REST edge: the pinned Envoy image plus the descriptor set the gRPC-JSON
#           transcoder needs, taken from this very build, so Envoy can never transcode against
#           stale protos;
#   server  (the default, last stage) the shaded library-server.jar on a JRE; LIBRARY_TARGET
#           picks the service a container runs.

FROM eclipse-temurin:17-jdk-noble AS build
WORKDIR /src
# Everything the reactor needs; .dockerignore keeps target/, data/ and .git out.
COPY . .
# The cache mount keeps ~/.m2 (dependencies and the Maven distribution the wrapper fetches)
# between builds without putting it into any image.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q install -DskipTests \
 && test -f services/server/target/library-server.jar \
 && test -f proto/target/classes/library/descriptor.pb


FROM envoyproxy/envoy:v1.34.12 AS envoy
# docker-compose.yml also mounts ./envoy/envoy.yaml over this copy, so an edited route only needs
# `docker compose restart envoy`; a changed proto needs a rebuild (`make up` always rebuilds).
COPY envoy/envoy.yaml /etc/envoy/envoy.yaml
COPY --from=build /src/proto/target/classes/library/descriptor.pb /etc/envoy/descriptor.pb
EXPOSE 8080


FROM eclipse-temurin:17-jre-noble AS server
# The compose health checks call the admin port with curl; the Temurin images ship it
# (adoptium/containers#255). Fail the build, not the health check, if that ever changes.
RUN command -v curl >/dev/null \
 && groupadd --system library \
 && useradd --system --gid library --home-dir /app --no-create-home --shell /usr/sbin/nologin library
WORKDIR /app
COPY --from=build /src/services/server/target/library-server.jar /app/library-server.jar
COPY config/compose.yml /app/config/compose.yml
USER library
# gRPC: auth, author, category, book; Dropwizard HTTP (JWKS, docs); Dropwizard admin.
EXPOSE 50051 50052 50053 50054 8081 8082
# Containers get a memory limit, not a machine: size the heap from it.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["java", "-jar", "/app/library-server.jar"]
CMD ["server", "/app/config/compose.yml"]
