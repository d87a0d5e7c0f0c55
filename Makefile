# kyc — the two commands a new user needs are `make run` and `make test`.
GO        ?= go
BIN       := bin/kyc
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X github.com/kyc-platform/kyc/internal/cli.Version=$(VERSION)
SQLC      := github.com/sqlc-dev/sqlc/cmd/sqlc@v1.31.1
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
TEST_PG   ?= $(KYC_TEST_POSTGRES_URL)

.PHONY: run build assets test bench bench-api lint generate eval-screening clean

## run: build the assets and the binary, then serve on SQLite in ./kyc-data
run: build
	./$(BIN) serve

## build: the single binary in bin/kyc
build: assets
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/kyc

VENDOR := internal/web/static/vendor

## assets: Bootstrap, htmx and Chart.js from npm (web/package-lock.json),
## copied into the embedded static folder; never edited by hand
assets: $(VENDOR)/.stamp

$(VENDOR)/.stamp: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp web/node_modules/bootstrap/dist/css/bootstrap.min.css $(VENDOR)/
	cp web/node_modules/bootstrap/dist/js/bootstrap.bundle.min.js $(VENDOR)/
	cp web/node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/
	cp web/node_modules/chart.js/dist/chart.umd.min.js $(VENDOR)/
	touch $@

## test: every test, on SQLite and (with KYC_TEST_POSTGRES_URL) PostgreSQL
test: assets
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 20m ./...

## bench: benchmarks — onboarding through the API with the raw insert ceiling of
## the same engine (SQLite; PostgreSQL with KYC_TEST_POSTGRES_URL), screening
## through the HTTP API, and the screening engine in process
bench:
	$(GO) test -run '^$$' -bench 'Onboarding' -benchtime 400x -timeout 30m ./internal/cli
	$(GO) test -run '^$$' -bench 'ScreeningAPI' -benchtime 5000x -timeout 30m ./internal/cli
	$(GO) test -run '^$$' -bench 'IndexBuild|Latency|SearchParallel|Batch|Search$$' -benchtime 2s -timeout 30m ./internal/screening

## eval-screening: screening quality report on the real lists in ../shared
eval-screening:
	$(GO) test ./internal/screening/eval -run TestEvaluation -v -count=1

## lint: go vet and staticcheck (pinned)
lint:
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

## generate: sqlc code for both engines from internal/store/queries
generate:
	$(GO) run $(SQLC) generate -f internal/store/sqlc.yaml

clean:
	rm -rf bin web/node_modules $(VENDOR)
