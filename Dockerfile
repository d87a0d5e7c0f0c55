# syntax=docker/dockerfile:1
#
# kyc in a container: a static binary (CGO_ENABLED=0) on distroless/static,
# run as a non-root user, with a read-only root file system: the only
# writable places are the data volume (/data: SQLite, documents, the master
# key file when KYC_MASTER_KEY is not given) and a tmpfs on /tmp (uploads
# larger than 1 MiB are buffered there while they are parsed).
#
#   docker build -t kyc .
#   docker run --read-only --tmpfs /tmp -p 8080:8080 -v kyc-data:/data kyc
#
# README, "Running in production", gives the rest (TLS at the proxy, the
# master key as a secret, backups); deploy/compose.yaml runs PostgreSQL with
# API and worker replicas.

ARG GO_VERSION=1.26.8
ARG NODE_VERSION=22

# 1. Front-end assets from npm (web/package-lock.json), as `make assets`.
FROM node:${NODE_VERSION}-bookworm AS assets
WORKDIR /src
COPY Makefile ./
COPY web/package.json web/package-lock.json ./web/
RUN make assets

# 2. The static binary.
FROM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=assets /src/internal/web/static/vendor/ ./internal/web/static/vendor/
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/kyc-platform/kyc/internal/cli.Version=${VERSION}" \
      -o /out/kyc ./cmd/kyc \
 && mkdir -p /out/data && chmod 0700 /out/data

# 3. The image: distroless/static has CA certificates, tzdata and the
# nonroot user (65532); no shell, no package manager.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/kyc /usr/local/bin/kyc
COPY --from=build --chown=65532:65532 /out/data /data
ENV KYC_ADDR=0.0.0.0:8080 \
    KYC_DATA_DIR=/data \
    KYC_LOG_FORMAT=json
USER 65532:65532
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/kyc"]
CMD ["serve"]
