# syntax=docker/dockerfile:1
# Heard container image: a static binary on distroless, running as non-root.
#   docker build -t heard:latest .     (or: make docker)
#   docker run -p 8080:8080 -e DATABASE_URL=postgres://... heard:latest

FROM golang:1.26 AS build
WORKDIR /src
# Dependencies first so code edits don't invalidate the module download layer.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
# CGO off: the final image has no libc. -trimpath/-s -w: reproducible, smaller.
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /heard ./cmd/heard

# distroless/static: CA certificates, tzdata and a nonroot user (65532), no shell.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /heard /heard
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/heard"]
CMD ["serve", "-addr", ":8080"]
