# syntax=docker/dockerfile:1
# Heard container image: the static binary on Debian slim, with what the
# importers need at run time (pdftotext for PDF attachments, Tesseract
# for scanned letters), running as a non-root user.
#   docker build -t heard:latest .     (or: make docker)
#   docker run -p 8080:8080 -e DATABASE_URL=postgres://... heard:latest
#   docker compose up                  (Heard, PostgreSQL 15 and the demo)

FROM golang:1.26 AS build
WORKDIR /src
# Dependencies first so code edits don't invalidate the module download layer.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
# CGO off: a static binary that runs on any base. -trimpath/-s -w:
# reproducible, smaller.
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /heard ./cmd/heard

# Not distroless: importing needs programs, not only a binary.
#   poppler-utils    pdftotext, the text of PDF attachments
#   tesseract-ocr    text of scanned letters (English)
#   ca-certificates, tzdata: TLS to the database; London time for dates
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       ca-certificates tzdata poppler-utils tesseract-ocr tesseract-ocr-eng \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data --create-home --shell /usr/sbin/nologin heard
COPY --from=build /heard /usr/local/bin/heard
# /data is the user's home and a volume in compose.yaml: `heard demo
# -admin -password-file` keeps the demo admin's password there.
VOLUME /data
WORKDIR /data
USER heard:heard
EXPOSE 8080
ENTRYPOINT ["heard"]
CMD ["serve", "-addr", ":8080"]
