// Package netguard keeps outbound HTTP requests whose address comes from a
// user (webhook endpoints, list-sync URLs) away from the platform's own
// network: a guard against server-side request forgery (OWASP ASVS 5.0
// 1.3.6; OWASP API Security Top 10 2023 API7).
//
// The rule: https only, and every address the host name resolves to must be
// public. It is checked twice:
//
//   - at registration, by CheckURL, which resolves the name and refuses it if
//     any of its addresses is not public;
//   - at every connection, by the dialer of Client: it resolves the name
//     again, refuses it if any address is not public, and dials only IP
//     literals through a net.Dialer whose Control function checks the very
//     address being connected to. A name that changes to a private address
//     between the check and the connection (DNS rebinding) is therefore
//     caught too.
//
// Redirects are not followed by default (a 3xx is the answer); a client may
// allow a few, and each hop is checked again like the first.
//
// Policy.AllowPrivate (KYC_WEBHOOK_ALLOW_PRIVATE=true) allows http and
// non-public addresses, for development and tests against local receivers.
package netguard

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ErrNotAllowed is wrapped by every refusal of this package, so callers can
// tell a guard refusal (errors.Is) from a network failure.
var ErrNotAllowed = errors.New("address not allowed")

// Error is a refusal: which part of the URL or which address class was
// refused. Its message names the class (e.g. "private") but never the
// resolved address, so an error shown to a tenant does not map the
// platform's internal network.
type Error struct {
	// Field is the part refused: "scheme", "host", "userinfo", "port" or
	// "address".
	Field string
	// Reason is a short human explanation.
	Reason string
	// Addr is the refused address, if any; for the operator's logs only.
	Addr netip.Addr
}

func (e *Error) Error() string { return e.Reason }

// Unwrap makes errors.Is(err, ErrNotAllowed) true.
func (e *Error) Unwrap() error { return ErrNotAllowed }

// Resolver looks up the addresses of a host name; *net.Resolver satisfies
// it. Tests inject their own to make a name resolve to a chosen address.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// Policy is the guard's configuration. The zero value is the strict rule
// (https only, public addresses only, the system resolver).
type Policy struct {
	// AllowPrivate allows http and non-public addresses (development).
	AllowPrivate bool
	// Resolver resolves host names; nil means net.DefaultResolver.
	Resolver Resolver
}

func (p Policy) resolver() Resolver {
	if p.Resolver != nil {
		return p.Resolver
	}
	return net.DefaultResolver
}

// special lists the IANA special-purpose ranges (RFC 6890 and the IANA
// IPv4/IPv6 Special-Purpose Address Registries) that are not globally
// reachable, beyond what netip's own predicates cover, with the class named
// in refusals.
var special = []struct {
	prefix netip.Prefix
	class  string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "unspecified"},                      // RFC 791 "this network"
	{netip.MustParsePrefix("100.64.0.0/10"), "shared address space (CGNAT)"}, // RFC 6598
	{netip.MustParsePrefix("192.0.0.0/24"), "reserved"},                      // RFC 6890 IETF protocol assignments
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation"},                 // RFC 5737 TEST-NET-1
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},                 // RFC 2544
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation"},              // RFC 5737 TEST-NET-2
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation"},               // RFC 5737 TEST-NET-3
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},                       // RFC 1112, incl. broadcast
	{netip.MustParsePrefix("::/96"), "IPv4-compatible (deprecated)"},         // RFC 4291 2.5.5.1
	{netip.MustParsePrefix("64:ff9b:1::/48"), "local NAT64"},                 // RFC 8215
	{netip.MustParsePrefix("100::/64"), "discard-only"},                      // RFC 6666
	{netip.MustParsePrefix("2001::/23"), "IETF protocol assignments"},        // RFC 2928 (incl. Teredo 2001::/32)
	{netip.MustParsePrefix("2001:db8::/32"), "documentation"},                // RFC 3849
	{netip.MustParsePrefix("3fff::/20"), "documentation"},                    // RFC 9637
	{netip.MustParsePrefix("5f00::/16"), "segment routing SIDs"},             // RFC 9602
	{netip.MustParsePrefix("fec0::/10"), "site-local (deprecated)"},          // RFC 3879
}

var (
	nat64  = netip.MustParsePrefix("64:ff9b::/96") // RFC 6052: the IPv4 address is in the last 4 bytes
	sixTo4 = netip.MustParsePrefix("2002::/16")    // RFC 3056: the IPv4 address is in bytes 2 to 5
)

// Classify returns "" for a public (globally reachable unicast) address, or
// the class that makes it non-public: loopback, private, link-local,
// multicast, unspecified, shared address space (CGNAT), unique local, a
// documentation or reserved range, or an IPv4 address hidden in an IPv6 form
// (IPv4-mapped, NAT64, 6to4) that is itself not public.
func Classify(a netip.Addr) string {
	if !a.IsValid() {
		return "invalid"
	}
	a = a.WithZone("")
	if a.Is4In6() {
		if c := Classify(a.Unmap()); c != "" {
			return "IPv4-mapped " + c
		}
		return ""
	}
	if a.Is6() {
		b := a.As16()
		if nat64.Contains(a) {
			if c := Classify(netip.AddrFrom4([4]byte(b[12:16]))); c != "" {
				return "NAT64 " + c
			}
			return ""
		}
		if sixTo4.Contains(a) {
			if c := Classify(netip.AddrFrom4([4]byte(b[2:6]))); c != "" {
				return "6to4 " + c
			}
			return ""
		}
	}
	switch {
	case a.IsUnspecified():
		return "unspecified"
	case a.IsLoopback():
		return "loopback"
	case a.IsLinkLocalUnicast():
		return "link-local"
	case a.IsMulticast(), a.IsLinkLocalMulticast(), a.IsInterfaceLocalMulticast():
		return "multicast"
	case a.Is6() && a.IsPrivate():
		return "unique local"
	case a.IsPrivate():
		return "private"
	}
	for _, s := range special {
		if s.prefix.Contains(a) {
			return s.class
		}
	}
	return ""
}

// IsPublic reports whether a is a globally reachable unicast address.
func IsPublic(a netip.Addr) bool { return Classify(a) == "" }

// CheckAddr refuses a non-public address unless the policy allows private
// ones.
func (p Policy) CheckAddr(a netip.Addr) error {
	if p.AllowPrivate {
		if !a.IsValid() {
			return &Error{Field: "address", Reason: "invalid address"}
		}
		return nil
	}
	if c := Classify(a); c != "" {
		return &Error{Field: "address", Reason: "the host resolves to a non-public address (" + c + ")", Addr: a}
	}
	return nil
}

// ParseURL checks the form of a URL without resolving it: absolute, https
// (or http when private addresses are allowed), a host, no user
// information (credentials do not belong in a stored URL), a valid port.
func (p Policy) ParseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Opaque != "" {
		return nil, &Error{Field: "url", Reason: "not a valid absolute URL"}
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !p.AllowPrivate {
			return nil, &Error{Field: "scheme", Reason: "the URL must use https"}
		}
	default:
		return nil, &Error{Field: "scheme", Reason: "the URL must use https"}
	}
	if u.User != nil {
		return nil, &Error{Field: "userinfo", Reason: "the URL must not contain a user name or password"}
	}
	if u.Hostname() == "" {
		return nil, &Error{Field: "host", Reason: "the URL has no host"}
	}
	if port := u.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 || strconv.Itoa(n) != port {
			return nil, &Error{Field: "port", Reason: "the URL has an invalid port"}
		}
	}
	return u, nil
}

// CheckURL is the registration check: ParseURL, then the host resolved now;
// every address must pass CheckAddr, and a name that does not resolve is
// refused too (a URL that cannot be delivered to is a mistake worth telling
// at once).
func (p Policy) CheckURL(ctx context.Context, raw string) (*url.URL, error) {
	u, err := p.ParseURL(raw)
	if err != nil {
		return nil, err
	}
	if _, err := p.Resolve(ctx, u.Hostname()); err != nil {
		return nil, err
	}
	return u, nil
}

// Resolve returns the addresses of host (an IP literal is its own address)
// after checking every one of them; one non-public address refuses the lot.
func (p Policy) Resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	var addrs []netip.Addr
	if a, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		addrs = []netip.Addr{a}
	} else {
		addrs, err = p.resolver().LookupNetIP(ctx, "ip", host)
		if err != nil || len(addrs) == 0 {
			return nil, &Error{Field: "host", Reason: "the host name does not resolve"}
		}
	}
	for _, a := range addrs {
		if err := p.CheckAddr(a); err != nil {
			return nil, err
		}
	}
	return addrs, nil
}

// Control is a net.Dialer Control function: it refuses a connection to any
// address CheckAddr refuses. It sees the address actually being connected
// to, after every resolution.
func (p Policy) Control(network, address string, _ syscall.RawConn) error {
	switch network {
	case "tcp", "tcp4", "tcp6":
	default:
		return &Error{Field: "address", Reason: "only TCP connections are allowed"}
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return &Error{Field: "address", Reason: "invalid address"}
	}
	return p.CheckAddr(ap.Addr())
}

// DialContext resolves addr's host with the policy's resolver, refuses it if
// any address is not allowed, then connects to the addresses in turn
// through a dialer whose Control checks each again.
func (p Policy) DialContext(d net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	d.Control = p.Control
	d.ControlContext = nil
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, &Error{Field: "address", Reason: "invalid address"}
		}
		addrs, err := p.Resolve(ctx, host)
		if err != nil {
			return nil, err
		}
		var firstErr error
		for _, a := range addrs {
			conn, err := d.DialContext(ctx, network, net.JoinHostPort(a.Unmap().String(), port))
			if err == nil {
				return conn, nil
			}
			if firstErr == nil {
				firstErr = err
			}
			if ctx.Err() != nil {
				break
			}
		}
		return nil, firstErr
	}
}

// ClientOptions shape the guarded HTTP client.
type ClientOptions struct {
	// Timeout bounds a whole request, response body included (default 10 s).
	Timeout time.Duration
	// MaxRedirects is how many redirects to follow, each hop checked like
	// the first (default 0: a 3xx is returned as the response).
	MaxRedirects int
	// TLSConfig, if set, is used for https (tests: a test server's roots).
	TLSConfig *tls.Config
	// MaxIdleConnsPerHost bounds kept-alive connections per host (default 4).
	MaxIdleConnsPerHost int
}

// Client returns an http.Client that enforces the policy on every
// connection: no proxy from the environment (a proxy would connect on the
// caller's behalf, beyond the guard), the guarded dialer, and the redirect
// rule of opts.
func (p Policy) Client(opts ClientOptions) *http.Client {
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	if opts.MaxIdleConnsPerHost <= 0 {
		opts.MaxIdleConnsPerHost = 4
	}
	dial := p.DialContext(net.Dialer{Timeout: opts.Timeout, KeepAlive: 30 * time.Second})
	tr := &http.Transport{
		Proxy:                  nil,
		DialContext:            dial,
		TLSClientConfig:        opts.TLSConfig,
		TLSHandshakeTimeout:    opts.Timeout,
		ResponseHeaderTimeout:  opts.Timeout,
		MaxIdleConns:           64,
		MaxIdleConnsPerHost:    opts.MaxIdleConnsPerHost,
		IdleConnTimeout:        90 * time.Second,
		MaxResponseHeaderBytes: 64 << 10,
		ForceAttemptHTTP2:      true,
	}
	return &http.Client{
		Transport: tr,
		Timeout:   opts.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > opts.MaxRedirects {
				return http.ErrUseLastResponse
			}
			if _, err := p.ParseURL(req.URL.String()); err != nil {
				return err
			}
			return nil
		},
	}
}

// RedirectGuard is an http.Client CheckRedirect for fetching from a URL the
// operator configured (the official list files): the configured host is
// trusted — an operator may mirror lists on an internal server — but a
// redirect to any other host is checked like a webhook URL at
// registration (https, every resolved address public), so that a list
// server, or whoever controls its redirects, cannot point kyc at the
// cloud metadata service or an internal admin port. More than max
// redirects are refused.
func (p Policy) RedirectGuard(max int) func(req *http.Request, via []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) > max {
			return fmt.Errorf("stopped after %d redirects", max)
		}
		first := via[0].URL
		if req.URL.Host == first.Host && (req.URL.Scheme == first.Scheme || req.URL.Scheme == "https") {
			return nil
		}
		if _, err := p.CheckURL(req.Context(), req.URL.String()); err != nil {
			return fmt.Errorf("redirect to %s refused: %w", req.URL.Host, err)
		}
		return nil
	}
}
