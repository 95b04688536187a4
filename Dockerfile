# syntax=docker/dockerfile:1

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY src src
# Packaged into the jar as its defaults (pers.config-dir adds to or overrides them).
COPY routes routes
COPY workflows workflows
COPY connectors connectors
# The cache mount keeps the wrapper's Maven and ~/.m2 between builds. pers.tools.skip: no npm
# anvil in the image, the container points at a real chain. The jar is selected by name so that
# cp fails loudly if anything but one boot jar matches.
RUN --mount=type=cache,target=/root/.m2 \
    chmod +x mvnw \
    && ./mvnw -B -ntp -DskipTests -Dspotless.check.skip=true -Dpers.tools.skip=true package \
    && cp $(ls target/pers-*.jar | grep -v -e '-plain\.jar$' -e '-sources\.jar$') /app.jar

FROM eclipse-temurin:17-jre
# A fixed uid, so a volume's ownership survives rebuilds of the image. PERS_HOME is created here,
# owner-only (it holds the local master key when none is configured); a new named volume mounted
# on it takes this ownership.
RUN groupadd --system --gid 10001 pers \
    && useradd --system --uid 10001 --gid pers --home-dir /var/lib/pers --no-create-home \
       --shell /usr/sbin/nologin pers \
    && install -d -o pers -g pers -m 0700 /var/lib/pers
WORKDIR /app
COPY --from=build /app.jar app.jar
# routes/, workflows/ and connectors/ are inside the jar; to change or add some, mount a folder and
# point PERS_CONFIG_DIR at it (README "Running in production").
# Production mode: every service and the master key must be configured (the jar carries no
# embedded services); a missing one stops the start and is named. The JVM's default heap is a
# quarter of the container's memory limit.
ENV PERS_MODE=production \
    PERS_HOME=/var/lib/pers \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
