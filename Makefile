# kyc — the two commands a new user needs are `make run` and `make test`.
GO        ?= go
BIN       := bin/kyc
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X github.com/kyc-platform/kyc/internal/cli.Version=$(VERSION)
SQLC      := github.com/sqlc-dev/sqlc/cmd/sqlc@v1.31.1
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
TEST_PG   ?= $(KYC_TEST_POSTGRES_URL)

.PHONY: run build install assets test bench bench-api lint generate eval-screening eval-screening-tune bench-screening clean reliability reliability-nightly fuzz fuzz-ci vulncheck

## run: build the assets and the binary, then serve on SQLite in ./kyc-data
run: build
	./$(BIN) serve

## build: the single binary in bin/kyc
build: assets
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/kyc

## install: bin/kyc as kyc in BINDIR: $(go env GOBIN), or else
## $(go env GOPATH)/bin; with PREFIX=/usr/local, in /usr/local/bin
PREFIX ?=
BINDIR ?= $(if $(PREFIX),$(PREFIX)/bin,$(or $(shell $(GO) env GOBIN),$(shell $(GO) env GOPATH)/bin))
install: build
	install -d $(DESTDIR)$(BINDIR)
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/kyc
	@echo "installed $(DESTDIR)$(BINDIR)/kyc"

VENDOR := internal/web/static/vendor

## assets: Bootstrap, htmx, Chart.js and Swagger UI from npm (web/package-lock.json),
## copied into the embedded static folder; never edited by hand. axe-core (a
## dev dependency) stays in web/node_modules: the browser tests read it there
assets: $(VENDOR)/.stamp

$(VENDOR)/.stamp: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp web/node_modules/bootstrap/dist/css/bootstrap.min.css $(VENDOR)/
	cp web/node_modules/bootstrap/dist/js/bootstrap.bundle.min.js $(VENDOR)/
	cp web/node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/
	cp web/node_modules/chart.js/dist/chart.umd.min.js $(VENDOR)/
	cp web/node_modules/swagger-ui-dist/swagger-ui-bundle.js web/node_modules/swagger-ui-dist/swagger-ui.css $(VENDOR)/
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

## reliability: the standing reliability suite at CI size — kill -9 during
## writes (both engines), a PostgreSQL outage, three replicas on one
## PostgreSQL (internal/reliability; make test runs these too), a short load
## run, and every fuzz target for FUZZTIME each
FUZZTIME ?= 5s
reliability:
	$(GO) test -count=1 -v -timeout 30m ./internal/reliability
	$(GO) test -count=1 -run '^$$' -bench Load -benchtime 1x -timeout 30m ./internal/reliability
	$(MAKE) fuzz

## reliability-nightly: the published sizes (1,000 writes under kill -9, a
## real PostgreSQL stop and start, 200 clients for 60 s), fuzzing for 2
## minutes per target, and govulncheck; run it alone on the machine
reliability-nightly:
	KYC_RELIABILITY_FULL=1 KYC_RELIABILITY_PG_RESTART=1 $(GO) test -count=1 -v -timeout 90m ./internal/reliability
	KYC_RELIABILITY_FULL=1 $(GO) test -count=1 -run '^$$' -bench Load -benchtime 1x -timeout 30m ./internal/reliability
	$(MAKE) fuzz FUZZTIME=2m
	$(MAKE) vulncheck

## fuzz: every fuzz target of the module (func Fuzz* in a _test.go file;
## FUZZ_PKGS narrows the directories), one after another, for FUZZTIME each;
## a crasher fails the run and is kept under the package's testdata/fuzz
## for the regression tests. CI fuzzes the parsers (FUZZ_CI_PKGS) for 3 s
## each; the API's decoding, which needs the whole server instrumented, is
## fuzzed by make reliability and the nightly run.
FUZZ_PKGS ?= internal
FUZZ_CI_PKGS := internal/screening/lists internal/domain internal/auth internal/goaml internal/monitoring internal/risk
fuzz:
	GO=$(GO) ./scripts/fuzz.sh $(FUZZTIME) $(FUZZ_PKGS)

## fuzz-ci: the bounded fuzzing .ci/run does after make test
fuzz-ci:
	$(MAKE) fuzz FUZZTIME=3s FUZZ_PKGS="$(FUZZ_CI_PKGS)"

## vulncheck: govulncheck (pinned) against the Go vulnerability database;
## where vuln.go.dev cannot be reached it says so and skips (exit 0) — it
## never passes silently
GOVULNCHECK := golang.org/x/vuln/cmd/govulncheck@v1.9.0
vulncheck:
	@if curl -fsS -m 10 -o /dev/null https://vuln.go.dev/index/db.json.gz 2>/dev/null; then \
	  $(GO) run $(GOVULNCHECK) ./...; \
	else \
	  echo "vulncheck SKIPPED: the Go vulnerability database (https://vuln.go.dev) is not reachable from this machine; run make vulncheck where it is"; \
	fi

## eval-screening: screening quality report on the real lists in ../shared
## (the reporting half of the split by entity; fails when a target is missed;
## docs/screening.md); eval-screening-tune: the tuning half;
## bench-screening: the screening engine's benchmarks alone (cpu-ns/op is the
## processor time per search, steadier than ns/op on a loaded machine)
eval-screening:
	$(GO) test ./internal/screening/eval -run TestEvaluation -v -count=1

eval-screening-tune:
	KYC_EVAL_SET=tune $(GO) test ./internal/screening/eval -run TestEvaluation -v -count=1

bench-screening:
	$(GO) test -run '^$$' -bench 'IndexBuild|Latency|SearchParallel|Batch|Search$$' -benchtime 2s -benchmem -timeout 30m ./internal/screening

## lint: go vet and staticcheck (pinned)
lint:
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

## generate: sqlc code for both engines from internal/store/queries, and the
## PostgreSQL copies of the shared repository code (edited in store/sqlite):
## every non-test .go file there except ENGINE_FILES, the SQLite-specific ones
## (a test in store/postgres reads this list). Old copies are removed first,
## so a file renamed or deleted in store/sqlite leaves no stale copy behind.
ENGINE_FILES := db.go convert.go doc.go ratelimits.go
SHARED_REPOS = $(sort $(filter-out $(ENGINE_FILES) %_test.go,$(notdir $(wildcard internal/store/sqlite/*.go))))
generate:
	$(GO) run $(SQLC) generate -f internal/store/sqlc.yaml
	rm -f $$(grep -l '^// Code generated by make generate from \.\./sqlite/' internal/store/postgres/*.go)
	for f in $(SHARED_REPOS); do \
	  { echo "// Code generated by make generate from ../sqlite/$$f. DO NOT EDIT."; echo; \
	    sed -e 's/^package sqlite$$/package postgres/' -e 's|internal/store/sqlite/sqlitedb"|internal/store/postgres/pgdb"|' internal/store/sqlite/$$f; \
	  } > internal/store/postgres/$$f; done

clean:
	rm -rf bin web/node_modules $(VENDOR)
