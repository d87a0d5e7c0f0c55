package web

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// Limiter counts events (failed sign-ins, drafts started) per client
// address in a sliding window. It is in memory and per process: a
// deterrent against floods from one address; account lock-outs that must
// hold across replicas live in the database.
type Limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	now    func() time.Time
	hits   map[string][]time.Time
}

// maxTrackedAddresses bounds the memory a distributed flood can take.
const maxTrackedAddresses = 100000

// NewLimiter allows max events per address in any window; now nil means
// time.Now.
func NewLimiter(max int, window time.Duration, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{max: max, window: window, now: now, hits: map[string][]time.Time{}}
}

// ClientIP is the request's remote address without the port: the client's
// address behind the proxies of KYC_TRUSTED_PROXIES, which
// httpx.TrustedProxies writes into RemoteAddr.
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (l *Limiter) recent(key string) []time.Time {
	cut := l.now().Add(-l.window)
	ts := l.hits[key]
	i := 0
	for i < len(ts) && ts[i].Before(cut) {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.hits, key)
	} else {
		l.hits[key] = ts
	}
	return ts
}

// Blocked reports whether key reached the limit in the current window.
func (l *Limiter) Blocked(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.recent(key)) >= l.max
}

// Hit records one event of key.
func (l *Limiter) Hit(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.hits[key] = append(l.recent(key), l.now())
	if len(l.hits) > maxTrackedAddresses {
		for k := range l.hits {
			delete(l.hits, k)
			break
		}
	}
}
