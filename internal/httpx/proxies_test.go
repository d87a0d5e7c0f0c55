package httpx

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestTrustedProxies: behind known proxies the client address comes from
// the forwarding headers — the right-most address that is not a trusted
// proxy — and from nobody else's headers, so that sign-in throttling counts
// clients and a client cannot pick its own address (hardening item 19;
// RFC 7239 section 8.1 on trusting Forwarded; OWASP ASVS 5.0 on client
// address spoofing).
func TestTrustedProxies(t *testing.T) {
	tp, err := ParseTrustedProxies("10.0.0.0/8, 192.0.2.7 2001:db8::/32")
	if err != nil {
		t.Fatal(err)
	}
	var got string
	h := tp.Handler(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = r.RemoteAddr }))
	for _, tc := range []struct {
		name, peer string
		hdr        map[string]string
		want       string
	}{
		{"direct client", "203.0.113.9:5000", nil, "203.0.113.9:5000"},
		{"untrusted peer's header ignored", "203.0.113.9:5000", map[string]string{"X-Forwarded-For": "1.2.3.4"}, "203.0.113.9:5000"},
		{"one proxy", "10.1.1.1:443", map[string]string{"X-Forwarded-For": "198.51.100.20"}, "198.51.100.20:0"},
		{"spoofed left part skipped", "10.1.1.1:443", map[string]string{"X-Forwarded-For": "6.6.6.6, 198.51.100.20, 10.2.2.2"}, "198.51.100.20:0"},
		{"Forwarded wins", "192.0.2.7:443", map[string]string{"Forwarded": `for="[2001:db8:cafe::17]:4711", for=198.51.100.21;proto=https`, "X-Forwarded-For": "9.9.9.9"}, "198.51.100.21:0"},
		{"Forwarded IPv6 client", "192.0.2.7:443", map[string]string{"Forwarded": `for="[2a00:1450::1]:4711"`}, "[2a00:1450::1]:0"},
		{"only proxies in chain", "10.1.1.1:443", map[string]string{"X-Forwarded-For": "10.3.3.3"}, "10.1.1.1:443"},
		{"obfuscated hop", "10.1.1.1:443", map[string]string{"Forwarded": "for=_hidden"}, "10.1.1.1:443"},
		{"no header from proxy", "10.1.1.1:443", nil, "10.1.1.1:443"},
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = tc.peer
		for k, v := range tc.hdr {
			r.Header.Set(k, v)
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
		if got != tc.want {
			t.Errorf("%s: RemoteAddr %q, want %q", tc.name, got, tc.want)
		}
	}
	if _, err := ParseTrustedProxies("10.0.0.0/33"); err == nil {
		t.Error("a bad prefix was accepted")
	}
	if _, err := ParseTrustedProxies("proxy.internal"); err == nil {
		t.Error("a host name was accepted")
	}
	if none, _ := ParseTrustedProxies(""); len(none) != 0 {
		t.Error("empty setting trusts something")
	}
}
