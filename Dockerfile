# syntax=docker/dockerfile:1
# eebot: one static binary on a distroless, non-root image.
#
#   docker build -t eebot .
#   docker run -d --env-file .env -e HTTP_ADDR=:8080 -p 8080:8080 -v eebot-data:/data eebot
#
# The database lives in the /data volume (DATA_DIR). HTTP_ADDR serves
# /healthz, /readyz and /metrics (and the webhook endpoints when enabled);
# HEALTHCHECK asks /readyz through `eebot healthcheck` (the image has no
# shell or curl). On `docker stop` (SIGTERM) the bot exits within 2 s, or
# POST_GRACE (5 s) when posts are being sent: under Docker's 10 s.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# Pure Go (modernc SQLite): a static binary, no libc needed at run time.
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/eebot . \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/eebot /eebot
# The volume's mount point, owned by the image's nonroot user (65532), so a
# fresh named volume starts writable by it.
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
ENV DATA_DIR=/data \
    HTTP_ADDR=:8080
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["/eebot", "healthcheck"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/eebot"]
