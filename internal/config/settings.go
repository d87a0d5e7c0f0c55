package config

import (
	"fmt"
	"strings"
)

// Setting is one environment variable kyc reads: its name, the flag that
// overrides it (if any), its default as the README shows it, and what it
// does. Settings is the one list of them: the README's configuration table
// is written from it (go test ./internal/config -run TestSettingsTable
// -update) and a test keeps it, FromEnv and that table in agreement both
// ways; `kyc serve --help` can print it.
type Setting struct {
	// Name is the environment variable, KYC_….
	Name string
	// Flag is the command-line flag that overrides it ("--addr"), or "".
	Flag string
	// Default is the value used when the variable is unset: a literal
	// value FromEnv accepts, or a description in parentheses.
	Default string
	// Doc says what it does, in Markdown (the README's wording).
	Doc string
}

// Literal reports whether Default is a value FromEnv would parse (rather
// than a description of what happens when the variable is unset).
func (s Setting) Literal() bool { return s.Default != "" && s.Default[0] != '(' }

// Settings returns every setting kyc reads from its environment, in the
// order of the README's table.
func Settings() []Setting { return append([]Setting(nil), settings...) }

var settings = []Setting{
	// Storage and process.
	{"KYC_DATA_DIR", "--data-dir", "./kyc-data", "SQLite database and the master key file"},
	{"KYC_DATABASE_URL", "--database-url", "(SQLite in the data dir)", "a `postgres://` URL, or a SQLite file path"},
	{"KYC_DATABASE_URL_FILE", "", "(none)", "read `KYC_DATABASE_URL` from this file instead (Compose secrets, systemd credentials, a mounted secret store), so the secret never sits in the environment; setting both forms is an error"},
	{"KYC_ADDR", "--addr", "127.0.0.1:8080", "listen address"},
	{"KYC_BASE_URL", "--base-url", "(http://KYC_ADDR)", "public URL (token issuer, links); when it is `https://…`, every response carries `Strict-Transport-Security` (TLS terminated at the proxy). Every replica must have the same one: tokens minted by one are refused by another otherwise"},
	{"KYC_MASTER_KEY", "", "(key file master.key, 0600, in the data dir, created on first run)", "base64 32-byte key for the encryption of personal data; set it on every replica when running several"},
	{"KYC_MASTER_KEY_FILE", "", "(none)", "read `KYC_MASTER_KEY` from this file instead (Compose secrets, systemd credentials, a mounted secret store), so the secret never sits in the environment; setting both forms is an error"},
	{"KYC_WORKERS", "--workers", "8", "concurrent background jobs per process"},
	{"KYC_JOB_MAX_ATTEMPTS", "", "5", "attempts before a check is recorded as `error`"},
	{"KYC_JOB_TIMEOUT", "", "2m", "longest run of one background job (1s–1h); a job left running by a process that died (kill -9, lost node) is run again half as long again after it started (3 minutes by default)"},
	{"KYC_SHUTDOWN_TIMEOUT", "", "30s", "time given to in-flight requests and jobs at shutdown (SIGTERM or SIGINT), the drain included"},
	{"KYC_SHUTDOWN_DRAIN", "", "5s", "on SIGTERM, `/readyz` answers 503 for this long while requests are still served, so a load balancer takes the process out of rotation before the listener closes"},
	{"KYC_METRICS_ADDR", "--metrics-addr", "(none: /metrics on KYC_ADDR)", "serve Prometheus `/metrics` on this address only, e.g. `127.0.0.1:9090`, so that it is not public on the API listener"},
	{"KYC_TRUSTED_PROXIES", "", "(none)", "addresses or CIDR prefixes of your reverse proxies / load balancers (`10.0.0.0/8, 192.0.2.7`): from these only, the client address is read from `Forwarded` or `X-Forwarded-For` (the right-most address that is not a listed proxy), for sign-in throttling and rate limits; without it every client behind the proxy shares one throttle"},
	{"KYC_LOG_FORMAT", "--log-format", "text", "`text`, or `json` for structured logs: then every line on stderr is a JSON object (the first administrator's one-time password goes to stdout only); durations are in milliseconds, keys ending in `_ms`"},
	{"KYC_LOG_LEVEL", "--log-level", "info", "`debug`, `info`, `warn` or `error`; the `/healthz` and `/readyz` probes are logged at `debug`"},

	// API tokens.
	{"KYC_TOKEN_TTL", "", "15m", "access-token lifetime, 1m to 24h"},
	{"KYC_TOKEN_AUDIENCE", "", "kyc-api", "the `aud` claim of the access tokens issued, and the audience required of those presented; the same on every replica"},
	{"KYC_RATE_LIMIT", "", "(default:50/s burst 200, screening:20/s burst 100, transactions:500/s burst 2000)", "per-client token buckets of `/api/v1` by scope family (the part of a scope before the colon: `customers`, `screening`, `cases`, `transactions`, `webhooks`, `audit`, `lists`, `data`; `default` for every family not named): a comma-separated list of `FAMILY:RATE/UNIT [burst N]` (unit `s`, `min` or `h`; the burst, the requests a client may send at once, is `RATE` when left out) or `FAMILY:off`, applied over the defaults, e.g. `screening:10/s burst 50, audit:off`; `off` limits nothing. See \"Rate limits\" under API"},

	// The KYC process.
	{"KYC_AUTO_APPROVE", "", "low", "ratings approved without a person: `low`, `low,medium` or `none`"},
	{"KYC_MIN_AGE", "", "18", "minimum age of an individual, 16 to 25"},
	{"KYC_CASE_SLA", "", "120h", "time to decide a case (onboarding, periodic review, change of circumstances, transaction alert): its due date, after which it counts as past SLA"},
	{"KYC_HIT_SLA", "", "24h", "the same for a case opened by a screening hit, at onboarding or on re-screening"},
	{"KYC_RISK_MODEL", "", "(the model shipped in the binary)", "path of the operator's own risk model (YAML); a bad one stops the server naming the line or factor at fault"},
	{"KYC_IDENTITY_PROVIDER", "", "document", "identity-verification provider: `document` (synchronous checks of the document data typed in), `sandbox` (asynchronous, outcomes by test values) or `http` (an external service); see \"Identity providers\""},
	{"KYC_IDENTITY_SECRET", "", "(random, sandbox)", "`whsec_…` secret (24–64 bytes, base64) that signs requests to the external provider and authenticates its callbacks"},
	{"KYC_IDENTITY_SECRET_FILE", "", "(none)", "read `KYC_IDENTITY_SECRET` from this file instead (Compose secrets, systemd credentials, a mounted secret store), so the secret never sits in the environment; setting both forms is an error"},
	{"KYC_IDENTITY_URL", "", "(none)", "the `http` provider's endpoint"},
	{"KYC_IDENTITY_TIMEOUT", "", "24h", "how long a check waits for an asynchronous provider before it becomes `needs_review`"},
	{"KYC_SANDBOX_DELAY", "", "2s", "how long the sandbox waits before it answers"},
	{"KYC_MAX_UPLOAD_BYTES", "", "10485760", "size limit of an uploaded document (10 MB by default), 64 KB to 64 MB"},
	{"KYC_MAX_DOCUMENTS_PER_CUSTOMER", "", "50", "most documents one customer may have (API and hosted pages); one more is refused with 422 naming `file`"},
	{"KYC_MAX_DOCUMENT_BYTES_PER_CUSTOMER", "", "209715200", "most bytes one customer's documents may add up to (200 MB by default; at least `KYC_MAX_UPLOAD_BYTES`); past it, 422"},
	{"KYC_APPLICANT_UPLOAD_RATE", "", "20/1h", "uploads from the hosted pages accepted per customer in a window (`N/DURATION`, 1m to 24h); past it, 429 with `Retry-After` and an inline message, so that a self-service visitor cannot fill the disk"},
	{"KYC_DOCUMENT_STORE", "", "($KYC_DATA_DIR/documents)", "where the encrypted contents of uploaded documents are kept: a directory, or an S3-compatible bucket `s3://bucket/prefix` (optional `?endpoint=https://…&region=…&use_path_style=true` for MinIO and the like; credentials from the usual `AWS_*` variables or a role). Replicas on PostgreSQL need a shared directory or a bucket"},

	// Sanctions lists.
	{"KYC_LIST_SYNC", "", "(none)", "list sources a periodic job syncs from their official URLs, e.g. `ofac_sdn,ofac_consolidated,un,uk`"},
	{"KYC_LIST_SYNC_INTERVAL", "", "6h", "period of that job (one replica runs each period), at least 5m"},
	{"KYC_LIST_SOURCES", "", "(official URLs)", "JSON file `[{\"name\": \"eu\", \"files\": [{\"name\": \"eu.csv\", \"url\": \"…\"}]}]` to override or add URLs (the EU files need a subscriber token)"},
	{"KYC_LIST_RELOAD_INTERVAL", "", "5s", "how often each replica looks for a new list snapshot to load"},
	{"KYC_LIST_MAX_AGE", "", "168h", "a list snapshot fetched longer ago is reported at start and on the dashboard (as is running with no list at all); at least 1h"},

	// Hosted onboarding pages.
	{"KYC_SELF_SERVICE", "", "false", "public start page where anyone may begin an application"},
	{"KYC_ACCESS_LINK_TTL", "", "30m", "lifetime of an applicant's access link, 1m to 168h"},
	{"KYC_APPLICANT_SESSION_IDLE", "", "30m", "an applicant session ends after this long without a request, 1m to 24h"},
	{"KYC_APPLICANT_SESSION_MAX", "", "8h", "an applicant session ends this long after it began, at most 168h"},

	// Webhooks.
	{"KYC_WEBHOOK_ALLOW_PRIVATE", "", "false", "allow webhook endpoints over http and on private or loopback addresses (development only)"},
	{"KYC_WEBHOOK_TIMEOUT", "", "10s", "time limit of one webhook delivery attempt"},

	// Records and reviews.
	{"KYC_RETENTION", "", "P5Y", "how long a customer's records are kept after closure or rejection, then purged (ISO 8601 such as `P5Y`, `P6M`, `PT10S`, or a Go duration)"},
	{"KYC_RETENTION_SCAN_INTERVAL", "", "1h", "period of the purge job"},
	{"KYC_REVIEW_SCAN_INTERVAL", "", "1h", "period of the job that opens periodic reviews as they fall due (a Go duration; seconds allowed, e.g. `5s` for tests)"},
	{"KYC_DOCUMENT_EXPIRY_NOTICE", "", "P30D", "how long before an identity document expires its `document_expiry` case opens"},
	{"KYC_DOCUMENT_EXPIRY_SCAN_INTERVAL", "", "1h", "period of the job that looks for expiring documents"},

	// Staff single sign-on (OpenID Connect).
	{"KYC_OIDC_ISSUER", "", "(none: single sign-on off)", "staff single sign-on with OpenID Connect: the identity provider's issuer URL (`https://…`; discovered at the first sign-in, so a provider that is down does not stop kyc); see \"Staff single sign-on\""},
	{"KYC_OIDC_CLIENT_ID", "", "(none)", "kyc's client id at the provider (confidential client, authorization code flow with PKCE)"},
	{"KYC_OIDC_CLIENT_SECRET", "", "(none)", "kyc's client secret at the provider"},
	{"KYC_OIDC_REDIRECT_URL", "", "(KYC_BASE_URL + /staff/sso/callback)", "the redirect URI registered at the provider"},
	{"KYC_OIDC_SCOPES", "", "email profile", "scopes asked for besides `openid` (add e.g. `groups` if the provider releases the role claim only for it)"},
	{"KYC_OIDC_ROLE_CLAIM", "", "groups", "ID-token claim with the person's groups or roles (a string or a list; a dotted name reaches into an object, e.g. `realm_access.roles`)"},
	{"KYC_OIDC_ROLE_MAP", "", "(none: required with an issuer)", "claim values to kyc roles, e.g. `kyc-mlro=mlro,kyc-analyst=analyst`; the first listed value the person has gives the role; a person with none is refused"},
	{"KYC_OIDC_LOCAL_LOGIN", "", "admins", "who may still sign in with a local password while single sign-on is on: `admins` (the break-glass administrator), `all` or `none`"},
	{"KYC_OIDC_TRUST_AMR", "", "(none)", "`amr` values (e.g. `mfa,hwk,otp`) that count as the second factor done at the provider; without a trusted value, kyc asks for its own TOTP code as after a password (required for admin and mlro)"},
	{"KYC_OIDC_TRUST_ACR", "", "(none)", "`acr` values that count as the second factor done at the provider, as `KYC_OIDC_TRUST_AMR`"},

	// Transaction monitoring and reports.
	{"KYC_MONITORING_RULES", "", "(the rules shipped in the binary)", "the operator's monitoring rule set (YAML of CEL rules), validated at start; check one with `kyc rules validate`"},
	{"KYC_REPORTING_CURRENCY", "", "EUR", "the currency monitoring thresholds are written and compared in (ISO 4217)"},
	{"KYC_FX_RATES", "", "(the table shipped in the binary, EUR only)", "conversion table to the reporting currency: a file path, or the rates inline (`USD=1.15,GBP=0.86`, units of each currency per unit of the reporting currency)"},
	{"KYC_GOAML_RENTITY_ID", "", "(none)", "the reporting entity id the FIU issued; suspicious-transaction reports cannot be built without it"},
	{"KYC_GOAML_RENTITY_BRANCH", "", "(none)", "the reporting entity's branch in goAML reports (optional)"},
	{"KYC_GOAML_CURRENCY_LOCAL", "", "(the reporting currency)", "the FIU's currency in goAML reports"},
	{"KYC_GOAML_REPORTING_PERSON", "", "(none)", "the officer named in reports, `First Last` (optional)"},
	{"KYC_GOAML_REPORTING_EMAIL", "", "(none)", "that officer's e-mail address (optional)"},
	{"KYC_GOAML_TRANSMODE_CODES", "", "(none)", "the FIU's transmode codes per channel, `cash=K,wire=A`"},
	{"KYC_GOAML_FUNDS_CODES", "", "(none)", "the FIU's funds-type codes per channel, `cash=K,wire=A`"},
}

// SettingsTable renders Settings as the Markdown table of the README's
// "Configuration" section, one row per variable, ending in a newline.
func SettingsTable() string {
	var b strings.Builder
	b.WriteString("| variable | flag | default | meaning |\n|---|---|---|---|\n")
	for _, s := range settings {
		flag := ""
		if s.Flag != "" {
			flag = "`" + s.Flag + "`"
		}
		def := s.Default
		if s.Literal() {
			def = "`" + def + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", s.Name, flag, def, strings.ReplaceAll(s.Doc, "|", `\|`))
	}
	return b.String()
}
