# syntax=docker/dockerfile:1
# The argo-ingest worker image: the `argo-ingest` binary that the WorkflowTemplate's steps call
# (`argo-ingest worker discover | process | finalize`) and that `run` / `plan` use locally.
#
#   docker build -t ghcr.io/example/argo-ingest:0.1.0 .
#   docker run --rm ghcr.io/example/argo-ingest:0.1.0 --help
#
# Runs as the numeric, non-root UID/GID 1000 (distributedExecution.runAsUser's default), so that
# `runAsNonRoot: true` can be verified by the kubelet; the application is owned by root and read-only
# to that user, and only /tmp is writable (mount an emptyDir there with readOnlyRootFilesystem: true, as
# the synthesized templates do).

ARG NODE_IMAGE=node:20-slim

# ---- build: install everything, compile TypeScript to lib/, then drop the dev dependencies ----
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# ---- runtime: Node 20 slim, production dependencies and the compiled code only ----
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    HOME=/tmp \
    NO_UPDATE_NOTIFIER=1
WORKDIR /app
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/lib ./lib
COPY --from=build /src/bin ./bin
# `argo-ingest` on PATH: the WorkflowTemplate's containers run `command: [argo-ingest]`.
RUN chmod 0755 /app/bin/argo-ingest.js \
 && ln -s /app/bin/argo-ingest.js /usr/local/bin/argo-ingest \
 && chmod -R a+rX,go-w /app
USER 1000:1000
ENTRYPOINT ["argo-ingest"]
CMD ["--help"]
