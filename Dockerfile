# Hub image. Built from a workspace where `sh scripts/setup.sh` (or at least
# `npm ci && npm run generate && npm run build`) has run; no network access is
# needed at runtime (migrations use the bundled wasm schema engine).
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY proto/package.json proto/package.json
COPY hub/package.json hub/package.json
COPY agent/package.json agent/package.json
RUN npm ci --omit=dev --no-audit --no-fund --workspace @flotilla/hub --workspace @flotilla/proto --include-workspace-root=false
COPY proto/dist proto/dist
COPY hub/dist hub/dist
COPY prisma prisma
USER node
EXPOSE 8080 8443
CMD ["node", "hub/dist/main.js"]
