package httpx

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// TrustedProxies lists the reverse proxies (load balancers, ingress) whose
// forwarding headers kyc believes (KYC_TRUSTED_PROXIES).
type TrustedProxies []netip.Prefix

// ParseTrustedProxies reads a comma- or space-separated list of addresses
// and CIDR prefixes ("10.0.0.0/8, 192.0.2.7").
func ParseTrustedProxies(s string) (TrustedProxies, error) {
	var out TrustedProxies
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		if strings.Contains(f, "/") {
			p, err := netip.ParsePrefix(f)
			if err != nil {
				return nil, fmt.Errorf("%q is not an address or CIDR prefix", f)
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("%q is not an address or CIDR prefix", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

func (t TrustedProxies) trusts(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range t {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// Handler rewrites r.RemoteAddr to the client's address when the request
// comes from a trusted proxy, so that sign-in throttling, the token
// endpoint's throttle and the self-service start limit count clients, not
// the proxy. The client is the right-most address of the forwarding chain
// (Forwarded, RFC 7239, else X-Forwarded-For) that is not itself a trusted
// proxy: addresses further left were written by the client and could be
// anything. A request from an untrusted peer keeps its own address, and its
// forwarding headers are ignored. With no trusted proxy h is returned as is.
func (t TrustedProxies) Handler(h http.Handler) http.Handler {
	if len(t) == 0 {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if client, ok := t.clientAddr(r); ok {
			r2 := r.Clone(r.Context())
			r2.RemoteAddr = net.JoinHostPort(client.String(), "0")
			r = r2
		}
		h.ServeHTTP(w, r)
	})
}

func (t TrustedProxies) clientAddr(r *http.Request) (netip.Addr, bool) {
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil || !t.trusts(peer.Addr()) {
		return netip.Addr{}, false
	}
	chain := forwardedFor(r.Header.Values("Forwarded"))
	if len(chain) == 0 {
		for _, v := range r.Header.Values("X-Forwarded-For") {
			for _, f := range strings.Split(v, ",") {
				chain = append(chain, strings.TrimSpace(f))
			}
		}
	}
	for i := len(chain) - 1; i >= 0; i-- {
		a, ok := parseNode(chain[i])
		if !ok {
			// An obfuscated or malformed hop: nothing to its left can be
			// trusted; the last proxy we trust is the best we know.
			return netip.Addr{}, false
		}
		if !t.trusts(a) {
			return a, true
		}
	}
	return netip.Addr{}, false
}

// forwardedFor returns the for= nodes of Forwarded header values, in order.
func forwardedFor(values []string) []string {
	var out []string
	for _, v := range values {
		for _, elem := range strings.Split(v, ",") {
			for _, pair := range strings.Split(elem, ";") {
				k, val, ok := strings.Cut(strings.TrimSpace(pair), "=")
				if ok && strings.EqualFold(k, "for") {
					out = append(out, strings.Trim(val, `"`))
				}
			}
		}
	}
	return out
}

// parseNode parses a forwarding node: "192.0.2.1", "192.0.2.1:4711",
// "[2001:db8::1]:4711" or "2001:db8::1".
func parseNode(s string) (netip.Addr, bool) {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	if a, err := netip.ParseAddr(strings.Trim(s, "[]")); err == nil {
		return a.Unmap(), true
	}
	return netip.Addr{}, false
}
