# The hub's image, which the Helm chart (deploy/helm/tmf688-hub) runs. Two stages: the build compiles
# dist/ with the dev dependencies (tsc); the image gets the production dependencies only, dist/ and
# the files the hub reads at run time. Not built by CI here (no container engine on its machines):
# a test checks this file statically (test/unit/dockerfile.test.ts). See docs/deploy.md.
#   docker build -t tmf688-hub:0.1.0 .

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
# prepare (npm run build) compiles src/ into dist/.
RUN npm ci --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=8080
WORKDIR /app
COPY package.json package-lock.json ./
# No dev dependency, and no install script (prepare would need tsc; dist/ comes from the build stage).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# What the hub reads at run time (src/paths.ts): the contract, the AsyncAPI document, the seeds and
# the official schemas beside them, the console's files.
COPY openapi/tmf688-event.oas3.json ./openapi/
COPY asyncapi/tmf688-hub.asyncapi.json ./asyncapi/
COPY seeds ./seeds
COPY src/console/static ./src/console/static
# The image's own non-root user (uid 1000), which the chart's security context names too.
USER node
EXPOSE 8080
CMD ["node", "dist/cli.js"]
