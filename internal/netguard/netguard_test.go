package netguard

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
)

// fakeResolver answers from a map; a name maps to successive answers, the
// last one repeating (to model a DNS rebinding between check and connect).
type fakeResolver struct {
	answers map[string][][]netip.Addr
	calls   atomic.Int32
}

func (f *fakeResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	n := int(f.calls.Add(1)) - 1
	seq, ok := f.answers[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	if n >= len(seq) {
		n = len(seq) - 1
	}
	return seq[n], nil
}

func addrs(ss ...string) []netip.Addr {
	out := make([]netip.Addr, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParseAddr(s)
	}
	return out
}

// TestClassifyNonPublicRanges: every range of the IANA IPv4 and IPv6
// Special-Purpose Address Registries (RFC 6890) that is not globally
// reachable is refused, including IPv4 addresses hidden in IPv6 forms
// (IPv4-mapped RFC 4291, NAT64 RFC 6052, 6to4 RFC 3056). Source of the rule:
// OWASP ASVS 5.0 1.3.6 (SSRF: allow-list outbound destinations) and the
// Standard Webhooks specification, "Server side request forgery (SSRF)".
func TestClassifyNonPublicRanges(t *testing.T) {
	t.Parallel()
	nonPublic := map[string]string{
		"0.0.0.0":                "unspecified",
		"0.1.2.3":                "unspecified",
		"::":                     "unspecified",
		"127.0.0.1":              "loopback",
		"127.255.255.254":        "loopback",
		"::1":                    "loopback",
		"10.0.0.1":               "private",
		"172.16.0.1":             "private",
		"172.31.255.255":         "private",
		"192.168.1.1":            "private",
		"169.254.169.254":        "link-local", // cloud metadata endpoint
		"fe80::1":                "link-local",
		"fe80::1%eth0":           "link-local",
		"224.0.0.1":              "multicast",
		"239.255.255.250":        "multicast",
		"ff02::1":                "multicast",
		"ff0e::1":                "multicast",
		"100.64.0.1":             "shared address space (CGNAT)",
		"100.127.255.254":        "shared address space (CGNAT)",
		"fc00::1":                "unique local",
		"fd12:3456::1":           "unique local",
		"192.0.0.8":              "reserved",
		"192.0.2.10":             "documentation",
		"198.51.100.7":           "documentation",
		"203.0.113.9":            "documentation",
		"198.18.0.1":             "benchmarking",
		"240.0.0.1":              "reserved",
		"255.255.255.255":        "reserved",
		"2001:db8::1":            "documentation",
		"fec0::1":                "site-local (deprecated)",
		"::ffff:127.0.0.1":       "IPv4-mapped loopback",
		"::ffff:10.1.2.3":        "IPv4-mapped private",
		"::ffff:169.254.169.254": "IPv4-mapped link-local",
		"::127.0.0.1":            "IPv4-compatible (deprecated)",
		"64:ff9b::a00:1":         "NAT64 private",
		"64:ff9b::7f00:1":        "NAT64 loopback",
		"2002:7f00:1::":          "6to4 loopback",
		"2002:c0a8:101::1":       "6to4 private",
		"2001::1":                "IETF protocol assignments", // Teredo
		"100::1":                 "discard-only",
	}
	for s, want := range nonPublic {
		a := netip.MustParseAddr(s)
		if got := Classify(a); got != want {
			t.Errorf("Classify(%s) = %q, want %q", s, got, want)
		}
		if IsPublic(a) {
			t.Errorf("IsPublic(%s) = true", s)
		}
	}
	for _, s := range []string{"1.1.1.1", "8.8.8.8", "93.184.215.14", "172.32.0.1", "100.128.0.1", "192.169.0.1",
		"2606:4700:4700::1111", "2a00:1450:4001::1", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"} {
		if c := Classify(netip.MustParseAddr(s)); c != "" {
			t.Errorf("Classify(%s) = %q, want public", s, c)
		}
	}
	if IsPublic(netip.Addr{}) {
		t.Error("the zero Addr is public")
	}
}

func TestParseURL(t *testing.T) {
	t.Parallel()
	strict, dev := Policy{}, Policy{AllowPrivate: true}
	bad := map[string]string{
		"http://example.com/hook":       "scheme",
		"ftp://example.com/hook":        "scheme",
		"example.com/hook":              "scheme",
		"//example.com/hook":            "scheme",
		"https:///hook":                 "host",
		"https://user:pw@example.com/h": "userinfo",
		"https://example.com:0/h":       "port",
		"https://example.com:70000/h":   "port",
		"https://example.com:08/h":      "port",
		"mailto:someone@example.com":    "url",
		"https://exa mple.com/":         "url",
	}
	for raw, field := range bad {
		_, err := strict.ParseURL(raw)
		var ge *Error
		if !errors.As(err, &ge) || ge.Field != field || !errors.Is(err, ErrNotAllowed) {
			t.Errorf("ParseURL(%q) = %v, want a refusal of %s", raw, err, field)
		}
	}
	if _, err := strict.ParseURL("https://hooks.example.com:8443/kyc?x=1"); err != nil {
		t.Errorf("https URL refused: %v", err)
	}
	if _, err := dev.ParseURL("http://localhost:8080/hook"); err != nil {
		t.Errorf("http refused although private is allowed: %v", err)
	}
	if _, err := dev.ParseURL("ftp://localhost/hook"); err == nil {
		t.Error("ftp allowed")
	}
}

// TestCheckURLResolvesEveryAddress: at registration every address of the
// name must be public; one private address among public ones refuses it.
func TestCheckURLResolvesEveryAddress(t *testing.T) {
	t.Parallel()
	r := &fakeResolver{answers: map[string][][]netip.Addr{
		"public.example":   {addrs("8.8.8.8", "2606:4700:4700::1111")},
		"mixed.example":    {addrs("8.8.8.8", "10.0.0.7")},
		"metadata.example": {addrs("169.254.169.254")},
		"mapped.example":   {addrs("::ffff:127.0.0.1")},
	}}
	p := Policy{Resolver: r}
	ctx := context.Background()
	if _, err := p.CheckURL(ctx, "https://public.example/hook"); err != nil {
		t.Errorf("public name refused: %v", err)
	}
	for _, raw := range []string{"https://mixed.example/", "https://metadata.example/", "https://mapped.example/",
		"https://127.0.0.1/", "https://[::1]:8443/", "https://[fe80::1%25eth0]/", "https://10.1.1.1/", "https://unknown.example/"} {
		_, err := p.CheckURL(ctx, raw)
		if !errors.Is(err, ErrNotAllowed) {
			t.Errorf("CheckURL(%s) = %v, want refusal", raw, err)
		}
		if err != nil && strings.Contains(err.Error(), "10.0.0.7") {
			t.Errorf("refusal names the internal address: %v", err)
		}
	}
	dev := Policy{AllowPrivate: true, Resolver: r}
	if _, err := dev.CheckURL(ctx, "http://mixed.example/"); err != nil {
		t.Errorf("allow-private refused a private name: %v", err)
	}
}

// TestControlRefusesNonPublic: the dialer's Control function sees the
// address actually connected to and refuses a non-public one, whatever the
// name said before.
func TestControlRefusesNonPublic(t *testing.T) {
	t.Parallel()
	p := Policy{}
	for _, a := range []string{"127.0.0.1:443", "[::1]:443", "[::ffff:10.0.0.1]:443", "169.254.169.254:80", "100.64.1.1:443", "[fd00::1]:443"} {
		if err := p.Control("tcp4", a, nil); !errors.Is(err, ErrNotAllowed) {
			t.Errorf("Control(%s) = %v", a, err)
		}
	}
	if err := p.Control("udp", "8.8.8.8:53", nil); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("udp allowed: %v", err)
	}
	if err := p.Control("tcp", "8.8.8.8:443", nil); err != nil {
		t.Errorf("public refused: %v", err)
	}
	// A plain dialer with only the Control function, dialling a loopback
	// listener by name, is refused at connect time.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	d := net.Dialer{Control: p.Control}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	if c, err := d.Dial("tcp", net.JoinHostPort("localhost", port)); !errors.Is(err, ErrNotAllowed) {
		if c != nil {
			c.Close()
		}
		t.Errorf("dial localhost = %v, want refusal", err)
	}
}

// TestClientCatchesDNSRebinding: a name that is public when registered and
// private when the request connects is refused at connect time.
func TestClientCatchesDNSRebinding(t *testing.T) {
	t.Parallel()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		t.Error("the request reached the private receiver")
	}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "https://"))
	r := &fakeResolver{answers: map[string][][]netip.Addr{"rebind.example": {addrs("8.8.8.8"), addrs("127.0.0.1")}}}
	p := Policy{Resolver: r}
	u := "https://rebind.example:" + port + "/hook"
	if _, err := p.CheckURL(context.Background(), u); err != nil {
		t.Fatalf("registration: %v", err)
	}
	c := p.Client(ClientOptions{TLSConfig: srv.Client().Transport.(*http.Transport).TLSClientConfig})
	resp, err := c.Post(u, "application/json", strings.NewReader("{}"))
	if err == nil {
		resp.Body.Close()
		t.Fatal("request sent to a name that now resolves to loopback")
	}
	if !errors.Is(err, ErrNotAllowed) {
		t.Errorf("error %v does not say the address was refused", err)
	}
}

// TestClientStrictRefusesLocalReceiver: without allow-private, a loopback
// receiver is unreachable even by IP literal; with it, it is reachable.
func TestClientStrictRefusesLocalReceiver(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	strict := Policy{}.Client(ClientOptions{})
	// Bypass ParseURL (the sender checks the scheme itself) to show that the
	// dialer alone refuses the address.
	if resp, err := strict.Get(srv.URL); err == nil {
		resp.Body.Close()
		t.Error("strict client reached a loopback receiver")
	} else if !errors.Is(err, ErrNotAllowed) {
		t.Errorf("strict client: %v", err)
	}
	dev := Policy{AllowPrivate: true}.Client(ClientOptions{})
	resp, err := dev.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent || hits.Load() != 1 {
		t.Errorf("allow-private: status %d, hits %d", resp.StatusCode, hits.Load())
	}
}

// TestClientRedirects: by default a 3xx is the answer (Standard Webhooks:
// "3xx: Failure"); with MaxRedirects each hop is checked like the first, so
// a redirect to a disallowed scheme is refused.
func TestClientRedirects(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("/start", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/end", http.StatusFound) })
	mux.HandleFunc("/ftp", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "ftp://example.com/x", http.StatusFound)
	})
	mux.HandleFunc("/end", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	p := Policy{AllowPrivate: true}
	resp, err := p.Client(ClientOptions{}).Get(srv.URL + "/start")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Errorf("no-redirect client: status %d, want 302", resp.StatusCode)
	}
	follow := p.Client(ClientOptions{MaxRedirects: 2})
	resp, err = follow.Get(srv.URL + "/start")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("following client: status %d, want 200", resp.StatusCode)
	}
	if resp, err := follow.Get(srv.URL + "/ftp"); !errors.Is(err, ErrNotAllowed) {
		if err == nil {
			resp.Body.Close()
		}
		t.Errorf("redirect to ftp: %v", err)
	}
}

// TestRedirectGuard: a fetch from a configured URL may follow redirects on
// the same host (an internal mirror) and to public https hosts (OFAC's
// files redirect to a storage service), never to a private, loopback or
// link-local address nor to plain http elsewhere (hardening item 17: list
// sync followed redirects to private addresses; OWASP ASVS 5.0 1.3.6).
func TestRedirectGuard(t *testing.T) {
	t.Parallel()
	res := &fakeResolver{answers: map[string][][]netip.Addr{
		"files.example":    {addrs("93.184.216.34")},
		"metadata.example": {addrs("169.254.169.254")},
		"mixed.example":    {addrs("93.184.216.34", "10.0.0.5")},
	}}
	guard := Policy{Resolver: res}.RedirectGuard(3)
	hop := func(from, to string, n int) error {
		t.Helper()
		via := []*http.Request{}
		for range n {
			r, _ := http.NewRequest(http.MethodGet, from, nil)
			via = append(via, r)
		}
		req, _ := http.NewRequest(http.MethodGet, to, nil)
		return guard(req, via)
	}
	for _, tc := range []struct {
		from, to string
		ok       bool
	}{
		{"http://10.1.2.3:8080/sdn.csv", "http://10.1.2.3:8080/v2/sdn.csv", true},  // same (configured) host
		{"http://10.1.2.3:8080/sdn.csv", "https://10.1.2.3:8080/sdn.csv", true},    // upgrade to https
		{"https://lists.example/sdn.csv", "https://files.example/sdn.csv", true},   // public https elsewhere
		{"https://lists.example/sdn.csv", "http://files.example/sdn.csv", false},   // plain http elsewhere
		{"https://lists.example/sdn.csv", "https://metadata.example/x", false},     // link-local by name
		{"https://lists.example/sdn.csv", "https://169.254.169.254/latest", false}, // link-local literal
		{"https://lists.example/sdn.csv", "https://127.0.0.1:9000/admin", false},   // loopback
		{"https://lists.example/sdn.csv", "https://mixed.example/sdn.csv", false},  // one private address
		{"http://127.0.0.1:8080/sdn.csv", "http://127.0.0.1:9090/sdn.csv", false},  // another port is another host
	} {
		err := hop(tc.from, tc.to, 1)
		if (err == nil) != tc.ok {
			t.Errorf("%s -> %s: %v, want allowed=%v", tc.from, tc.to, err, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrNotAllowed) {
			t.Errorf("%s -> %s: %v does not wrap ErrNotAllowed", tc.from, tc.to, err)
		}
	}
	if err := hop("https://lists.example/a", "https://lists.example/b", 4); err == nil || !strings.Contains(err.Error(), "3 redirects") {
		t.Errorf("fourth redirect: %v", err)
	}
}
