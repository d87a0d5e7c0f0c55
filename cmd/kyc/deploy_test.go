package main_test

// The deployment files (Dockerfile, deploy/compose.yaml, the systemd unit)
// are read for the properties the README promises: no container runtime
// or systemd runs here, so this test and TestContainerConstraints (the
// binary under the same constraints) are what keeps them honest.

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

func repoFile(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// knownSettings checks that every KYC_* name in a deployment file is one
// the configuration reads (a typo there is a setting silently ignored).
func knownSettings(t *testing.T, file, text string) {
	t.Helper()
	cfg := repoFile(t, "internal/config/config.go") + repoFile(t, "internal/config/monitoring.go")
	for _, name := range slices.Compact(sortedMatches(regexp.MustCompile(`\bKYC_[A-Z0-9_]+\b`), text)) {
		base := strings.TrimSuffix(name, "_FILE")
		if !strings.Contains(cfg, `"`+name+`"`) && !(base != name && strings.Contains(cfg, `"`+base+`"`)) {
			t.Errorf("%s sets %s, which kyc does not read", file, name)
		}
	}
}

func sortedMatches(re *regexp.Regexp, s string) []string {
	m := re.FindAllString(s, -1)
	slices.Sort(m)
	return m
}

// dockerStages splits a Dockerfile into its stages' instructions.
func dockerStages(text string) [][]string {
	var stages [][]string
	var cur []string
	sc := bufio.NewScanner(strings.NewReader(strings.ReplaceAll(text, "\\\n", " ")))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(strings.ToUpper(line), "FROM ") && cur != nil {
			stages = append(stages, cur)
			cur = nil
		}
		cur = append(cur, line)
	}
	return append(stages, cur)
}

func TestDockerfile(t *testing.T) {
	text := repoFile(t, "Dockerfile")
	knownSettings(t, "Dockerfile", text)
	stages := dockerStages(text)
	if len(stages) < 3 {
		t.Fatalf("want a multi-stage build (assets, binary, image), got %d stages", len(stages))
	}
	joined := func(s []string) string { return strings.Join(s, "\n") }
	if !strings.Contains(joined(stages[1]), "FROM node:") || !strings.Contains(joined(stages[1]), "make assets") {
		t.Errorf("the first stage does not build the assets with node and make assets:\n%s", joined(stages[1]))
	}
	build := joined(stages[2])
	if !strings.Contains(build, "FROM golang:") || !strings.Contains(build, "CGO_ENABLED=0 go build") || !strings.Contains(build, "./cmd/kyc") {
		t.Errorf("the build stage does not build a static binary (CGO_ENABLED=0) with golang:\n%s", build)
	}
	final := stages[len(stages)-1]
	from := strings.Fields(final[0])
	if len(from) < 2 || !(strings.HasPrefix(from[1], "gcr.io/distroless/static") || from[1] == "scratch") {
		t.Errorf("the image is %q, want distroless/static (CA certificates, no shell) or scratch", final[0])
	}
	var user, volume, entry string
	env := map[string]string{}
	for _, in := range final {
		f := strings.Fields(in)
		switch strings.ToUpper(f[0]) {
		case "USER":
			user = f[1]
		case "VOLUME":
			volume = in
		case "ENTRYPOINT":
			entry = in
		case "ENV":
			for _, kv := range f[1:] {
				if k, v, ok := strings.Cut(kv, "="); ok {
					env[k] = v
				}
			}
		case "RUN":
			t.Errorf("the final image runs a command (%s): it has no shell", in)
		}
	}
	uid, _, _ := strings.Cut(user, ":")
	if user == "" || uid == "0" || uid == "root" {
		t.Errorf("USER %q: the image must run as a non-root user", user)
	}
	if !strings.HasPrefix(env["KYC_ADDR"], "0.0.0.0:") {
		t.Errorf("KYC_ADDR=%q: inside a container kyc must listen on 0.0.0.0", env["KYC_ADDR"])
	}
	if env["KYC_DATA_DIR"] == "" || !strings.Contains(volume, env["KYC_DATA_DIR"]) {
		t.Errorf("the data directory %q is not a VOLUME (%q)", env["KYC_DATA_DIR"], volume)
	}
	if !strings.Contains(joined(final), "--chown=65532:65532") || uid != "65532" {
		t.Errorf("the data directory must belong to the image's user (%s)", user)
	}
	if !strings.Contains(entry, "kyc") {
		t.Errorf("ENTRYPOINT %q does not run kyc", entry)
	}
	if _, err := os.Stat(filepath.Join("..", "..", ".dockerignore")); err != nil {
		t.Errorf(".dockerignore: %v (the build context would carry .git, node_modules and data)", err)
	}
}

func TestCompose(t *testing.T) {
	text := repoFile(t, "deploy/compose.yaml")
	knownSettings(t, "deploy/compose.yaml", text)
	var doc struct {
		Services map[string]struct {
			Image       string
			Command     []string
			User        string
			ReadOnly    bool `yaml:"read_only"`
			Tmpfs       []string
			CapDrop     []string `yaml:"cap_drop"`
			SecurityOpt []string `yaml:"security_opt"`
			Environment map[string]string
			Secrets     []any
			Deploy      struct{ Replicas int }
		}
		Secrets map[string]struct{ File string }
	}
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		t.Fatalf("deploy/compose.yaml: %v", err)
	}
	if _, ok := doc.Services["postgres"]; !ok {
		t.Error("no postgres service")
	}
	api, worker := doc.Services["api"], doc.Services["worker"]
	if api.Deploy.Replicas < 2 || !slices.Contains(api.Command, "--no-workers") {
		t.Errorf("api: %d replicas, command %v; want several API replicas without workers", api.Deploy.Replicas, api.Command)
	}
	if worker.Deploy.Replicas < 1 || !slices.Contains(worker.Command, "--workers-only") {
		t.Errorf("worker: %d replicas, command %v; want a worker replica", worker.Deploy.Replicas, worker.Command)
	}
	var baseURL string
	for _, name := range []string{"migrate", "api", "worker"} {
		s, ok := doc.Services[name]
		if !ok {
			t.Errorf("no %s service", name)
			continue
		}
		if uid, _, _ := strings.Cut(s.User, ":"); s.User == "" || uid == "0" {
			t.Errorf("%s: user %q, want non-root", name, s.User)
		}
		if !s.ReadOnly || !slices.Contains(s.Tmpfs, "/tmp") {
			t.Errorf("%s: read_only %v, tmpfs %v; want a read-only root with a tmpfs on /tmp", name, s.ReadOnly, s.Tmpfs)
		}
		if !slices.Contains(s.CapDrop, "ALL") || !slices.Contains(s.SecurityOpt, "no-new-privileges:true") {
			t.Errorf("%s: cap_drop %v, security_opt %v", name, s.CapDrop, s.SecurityOpt)
		}
		if !strings.HasPrefix(s.Environment["KYC_ADDR"], "0.0.0.0:") {
			t.Errorf("%s: KYC_ADDR %q", name, s.Environment["KYC_ADDR"])
		}
		// The same token issuer and master key on every replica, the
		// secrets as files, never as values in the environment.
		if s.Environment["KYC_BASE_URL"] == "" || (baseURL != "" && s.Environment["KYC_BASE_URL"] != baseURL) {
			t.Errorf("%s: KYC_BASE_URL %q differs from the other replicas' %q", name, s.Environment["KYC_BASE_URL"], baseURL)
		}
		baseURL = s.Environment["KYC_BASE_URL"]
		if s.Environment["KYC_MASTER_KEY_FILE"] != "/run/secrets/kyc_master_key" || s.Environment["KYC_MASTER_KEY"] != "" {
			t.Errorf("%s: the master key must come from the kyc_master_key secret (KYC_MASTER_KEY_FILE)", name)
		}
		if s.Environment["KYC_DATABASE_URL_FILE"] == "" || s.Environment["KYC_DATABASE_URL"] != "" {
			t.Errorf("%s: the database URL (with its password) must come from a secret", name)
		}
		if s.Environment["KYC_DOCUMENT_STORE"] == "" {
			t.Errorf("%s: replicas need a shared document store", name)
		}
		if len(s.Secrets) < 2 {
			t.Errorf("%s: secrets %v", name, s.Secrets)
		}
	}
	for _, name := range []string{"kyc_master_key", "kyc_database_url", "postgres_password"} {
		if doc.Secrets[name].File == "" {
			t.Errorf("secret %s is not defined", name)
		}
	}
	if !strings.Contains(repoFile(t, ".dockerignore"), "deploy/secrets") {
		t.Error(".dockerignore does not keep deploy/secrets out of the build context")
	}
}

func TestSystemdUnit(t *testing.T) {
	text := repoFile(t, "deploy/systemd/kyc.service")
	knownSettings(t, "deploy/systemd/kyc.service", text)
	service := map[string][]string{}
	section := ""
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") {
			section = line
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok && section == "[Service]" {
			service[k] = append(service[k], v)
		}
	}
	one := func(k string) string {
		if v := service[k]; len(v) > 0 {
			return v[len(v)-1]
		}
		return ""
	}
	if one("DynamicUser") != "yes" && (one("User") == "" || one("User") == "root") {
		t.Errorf("the service runs as %q: want User=kyc or DynamicUser=yes", one("User"))
	}
	for k, want := range map[string]string{
		"ProtectSystem": "strict", "NoNewPrivileges": "yes", "PrivateTmp": "yes", "ProtectHome": "yes",
		"PrivateDevices": "yes", "RestrictSUIDSGID": "yes", "CapabilityBoundingSet": "", "UMask": "0077",
	} {
		if v, ok := service[k]; !ok || v[len(v)-1] != want {
			t.Errorf("%s=%q, want %q", k, one(k), want)
		}
	}
	env := map[string]string{}
	for _, e := range service["Environment"] {
		if k, v, ok := strings.Cut(e, "="); ok {
			env[k] = v
		}
	}
	if env["KYC_DATA_DIR"] == "" || !slices.Contains(strings.Fields(one("ReadWritePaths")), env["KYC_DATA_DIR"]) {
		t.Errorf("ReadWritePaths=%q does not hold the data directory %q (the only writable path)", one("ReadWritePaths"), env["KYC_DATA_DIR"])
	}
	if env["KYC_MASTER_KEY"] != "" || !strings.HasPrefix(env["KYC_MASTER_KEY_FILE"], "%d/") || !strings.HasPrefix(one("LoadCredential"), "master-key:") {
		t.Errorf("the master key must be a systemd credential (LoadCredential, KYC_MASTER_KEY_FILE=%%d/…), not an environment value")
	}
	if !strings.Contains(one("ExecStart"), "kyc serve") {
		t.Errorf("ExecStart=%q", one("ExecStart"))
	}
}
