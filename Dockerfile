# syntax=docker/dockerfile:1
# Node 26 is the Active LTS line (since October 2026). .ci/run reads the major version from this
# line and runs the tests again on that Node (package.json's engines: >=22.12).
ARG NODE_IMAGE=node:26-slim

# Build stage: install everything, compile TypeScript to dist/ and bundle the lab (lab/, Vite) into dist/lab/.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY lab ./lab
RUN npm run build

# Runtime stage: production dependencies and dist/ only, as the unprivileged `node` user.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
# onnxruntime-node ships binaries for every platform (~290 MB); keep this one's (~45 MB).
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force \
 && cd node_modules/onnxruntime-node/bin/napi-v6 \
 && rm -rf darwin win32 \
 && if [ "$(uname -m)" = "aarch64" ]; then rm -rf linux/x64; else rm -rf linux/arm64; fi
# dist/ holds the compiled service and, in dist/lab/, the lab that GET / serves.
COPY --from=build /app/dist ./dist
# The chart fonts (DejaVu Sans): text is measured and rasterised from these files, never system fonts.
COPY assets/fonts ./assets/fonts
# The shipped training data (Fashion-MNIST subset, iris), read and checksummed at first use.
COPY data ./data
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node handles SIGTERM itself (close-with-grace drains in-flight requests, then exits).
CMD ["node", "dist/server.js"]
