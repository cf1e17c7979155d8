# Heard — the front door. `make help` lists the targets.
#
# DATABASE_URL: when set, every target uses that database. When unset,
# db/pg.sh starts (once) a private PostgreSQL cluster under .data/ and
# prints its URL.

SHELL := /bin/bash
GO ?= go
ADDR ?= :8080
# go test kills a test binary after this; each package is its own binary
# (the Chromium tests are internal/e2e), so this bounds the slowest one.
TEST_TIMEOUT ?= 30m
BENCH_N ?= 1000000
BENCH_MBOX ?= 100000
BENCH_CSV ?= 1000000
BENCH_MSG ?= 5000
BENCH_IMAP ?= 10000
BENCH_OCR ?= 5
BENCH_AUTOCODE ?= 10000
BENCH_PERSONAL ?= 20000
DB_URL = $${DATABASE_URL:-$$(db/pg.sh url)}

.PHONY: help run test bench eval wordnet generate check lint build docker db-stop clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

run: ## Start PostgreSQL if needed, load the CQC 2021 demo and serve on http://localhost:8080 (NEW_PASSWORD=1: a new demo admin password)
	@url=$(DB_URL) || exit 1; \
	$(GO) build -o bin/heard ./cmd/heard && \
	mkdir -p .data && \
	DATABASE_URL="$$url" ./bin/heard demo -admin -password-file .data/demo-admin-password $(if $(NEW_PASSWORD),-new-password) && \
	DATABASE_URL="$$url" HEARD_INSECURE_COOKIES=1 ./bin/heard serve -addr $(ADDR)

test: ## Run the whole test suite against a real PostgreSQL
	@url=$(DB_URL) || exit 1; \
	DATABASE_URL="$$url" $(GO) test -count=1 -timeout $(TEST_TIMEOUT) ./...

bench: ## Measure load rate and page latency at BENCH_N responses (default 1,000,000)
	@url=$(DB_URL) || exit 1; \
	$(GO) build -o bin/heard ./cmd/heard && \
	$(GO) build -o bin/heard-bench ./cmd/heard-bench && \
	DATABASE_URL="$$url" ./bin/heard-bench -n $(BENCH_N) -heard bin/heard -mbox $(BENCH_MBOX) -csv $(BENCH_CSV) -msg $(BENCH_MSG) -imap $(BENCH_IMAP) -ocr $(BENCH_OCR) -autocode $(BENCH_AUTOCODE) -personal $(BENCH_PERSONAL)

eval: ## Measure auto-coding quality (heard eval; uses ../shared/eval/themefinder when present)
	$(GO) run ./cmd/heard eval

wordnet: ## Rewrite auto-coding's embedded WordNet table from /usr/share/wordnet (apt-get install wordnet-base; never run at build time)
	$(GO) run ./internal/autocode/wordnetgen

generate: ## Regenerate sqlc and templ code
	$(GO) tool -modfile=db/tools.mod sqlc generate -f db/sqlc.yaml
	$(GO) tool templ fmt web
	$(GO) tool templ generate -path web

check: generate ## Fail when generated code is stale, then vet
	@git diff --exit-code -- internal/db web || { echo "generated code is stale: run 'make generate' and commit" >&2; exit 1; }
	@test -z "$$(git status --porcelain --untracked-files=all -- internal/db web)" || { echo "generated files not committed: run 'make generate' and commit" >&2; git status --short -- internal/db web >&2; exit 1; }
	$(GO) vet ./...

lint: check ## Alias for check
	@true

build: ## Build bin/heard
	CGO_ENABLED=0 $(GO) build -o bin/heard ./cmd/heard

docker: ## Build the container image heard:latest
	docker build -t heard:latest .

db-stop: ## Stop the private PostgreSQL cluster under .data/
	db/pg.sh stop

clean: ## Remove build output (keeps .data/)
	rm -rf bin
