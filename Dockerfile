# syntax=docker/dockerfile:1
# One image for the three apps. Each service runs `node apps/<app>/dist/main.js` directly (never through npm),
# so SIGTERM reaches the process and its graceful shutdown runs.

# --- build: every workspace's dependencies, then `turbo run build` ------------------------------------------
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json turbo.json tsconfig.base.json ./
COPY packages/domain/package.json packages/domain/
COPY packages/db/package.json packages/db/
COPY packages/runtime/package.json packages/runtime/
COPY packages/http/package.json packages/http/
COPY packages/testkit/package.json packages/testkit/
COPY apps/api/package.json apps/api/
COPY apps/dashboard/package.json apps/dashboard/
COPY apps/ingest/package.json apps/ingest/
COPY apps/worker/package.json apps/worker/
RUN npm ci --no-audit --no-fund
COPY packages packages
COPY apps apps
RUN npx turbo run build --filter=@seedline/api... --filter=@seedline/ingest... --filter=@seedline/worker...

# --- production dependencies only ---------------------------------------------------------------------------
FROM node:20-slim AS prod-deps
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/packages/domain/package.json packages/domain/
COPY --from=build /app/packages/db/package.json packages/db/
COPY --from=build /app/packages/runtime/package.json packages/runtime/
COPY --from=build /app/packages/http/package.json packages/http/
COPY --from=build /app/packages/testkit/package.json packages/testkit/
COPY --from=build /app/apps/api/package.json apps/api/
COPY --from=build /app/apps/dashboard/package.json apps/dashboard/
COPY --from=build /app/apps/ingest/package.json apps/ingest/
COPY --from=build /app/apps/worker/package.json apps/worker/
RUN npm ci --omit=dev --no-audit --no-fund

# --- runtime ------------------------------------------------------------------------------------------------
FROM node:20-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=prod-deps /app/node_modules node_modules
COPY --from=prod-deps /app/package.json ./
COPY --from=build /app/packages/domain/package.json packages/domain/
COPY --from=build /app/packages/domain/dist packages/domain/dist
COPY --from=build /app/packages/db/package.json packages/db/
COPY --from=build /app/packages/db/dist packages/db/dist
COPY --from=build /app/packages/runtime/package.json packages/runtime/
COPY --from=build /app/packages/runtime/dist packages/runtime/dist
COPY --from=build /app/packages/http/package.json packages/http/
COPY --from=build /app/packages/http/dist packages/http/dist
COPY --from=build /app/apps/api/package.json apps/api/
COPY --from=build /app/apps/api/dist apps/api/dist
# The dashboard's static files, which the API serves at /dashboard; its index.js tells the API where they are.
COPY --from=build /app/apps/dashboard/package.json /app/apps/dashboard/index.js apps/dashboard/
COPY --from=build /app/apps/dashboard/dist apps/dashboard/dist
COPY --from=build /app/apps/ingest/package.json apps/ingest/
COPY --from=build /app/apps/ingest/dist apps/ingest/dist
COPY --from=build /app/apps/worker/package.json apps/worker/
COPY --from=build /app/apps/worker/dist apps/worker/dist
# The ingest spool (events acknowledged while Redis is unreachable) lives here; mount a volume on it.
RUN mkdir -p /app/.run/spool && chown -R node:node /app/.run
USER node
EXPOSE 3000 3001
# No default app: compose and the Kubernetes manifests name one, e.g. ["node", "apps/api/dist/main.js"].
CMD ["node", "-e", "console.error('choose an app: node apps/<api|ingest|worker>/dist/main.js'); process.exit(64)"]
