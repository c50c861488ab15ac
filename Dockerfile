# syntax=docker/dockerfile:1.7
# One Dockerfile for every Chorus service; the service is a build argument:
#
#   docker build --build-arg SERVICE=gateway     -t chorus/gateway:0.1.0 .
#   docker build --build-arg SERVICE=consent     -t chorus/consent:0.1.0 .
#   docker build --build-arg SERVICE=dispatch    -t chorus/dispatch:0.1.0 .
#   docker build --build-arg SERVICE=carrier-sim -t chorus/carrier-sim:0.1.0 .   (dev/test only)
#
# The image holds the service's esbuild bundle (the @chorus/* workspace libs inside it, see
# deploy/build.mjs), the production dependencies of that one service at the exact versions in
# package-lock.json, and the .proto tree. It runs as a numeric non-root user (so Kubernetes'
# runAsNonRoot can verify it) and writes nothing to its filesystem.
ARG NODE_IMAGE=node:22-bookworm-slim

# Package manifests only: the npm ci layers below are reused until a package.json or the lock
# file changes, not on every source edit.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /out && cp package.json package-lock.json /out/ \
 && find libs services -mindepth 2 -maxdepth 2 -name package.json \
      -exec sh -c 'mkdir -p "/out/$(dirname "$1")" && cp "$1" "/out/$1"' _ {} \;

# Full install (esbuild is a dev dependency) and the bundle.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY --from=manifests /out/ ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
ARG SERVICE
RUN test -n "${SERVICE}" || { echo "--build-arg SERVICE=<gateway|consent|dispatch|carrier-sim> is required" >&2; exit 1; }
RUN node deploy/build.mjs "${SERVICE}"

# Production dependencies of this one service (and of the @chorus libs it bundles), nothing else.
# The bundle resolves packages from /app/node_modules only, so a nested node_modules (a version
# conflict) fails the build instead of the pod; workspace links are removed because they would
# dangle (the bundle already contains @chorus/*).
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY --from=manifests /out/ ./
ARG SERVICE
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund --workspace "@chorus/${SERVICE}" \
 && if ls -d libs/*/node_modules services/*/node_modules 2>/dev/null; then \
      echo "nested node_modules above (conflicting versions): align the versions or copy them" >&2; exit 1; \
    fi \
 && rm -rf node_modules/@chorus node_modules/.package-lock.json

FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
ENV NODE_ENV=production
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
# libs/protos loads .proto files at run time from <bundle dir>/../../../protos (= /app/protos).
COPY protos ./protos
COPY --from=build /src/services/${SERVICE}/dist ./services/${SERVICE}/dist
# One entry point for every image; Node resolves the link, so the bundle's own path (and with it
# the protos path above) stays /app/services/<name>/dist/main.js.
RUN ln -s "services/${SERVICE}/dist/main.js" /app/main.js
LABEL org.opencontainers.image.title="chorus-${SERVICE}"
USER 10001:10001
# node is PID 1 and handles SIGTERM itself (runService: ordered shutdown within SHUTDOWN_TIMEOUT_MS).
CMD ["node", "/app/main.js"]
