package screening_test

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/screening"
	"github.com/kyc-platform/kyc/internal/screening/lists"
)

const dataDir = "../../../shared/data/lists"

// loadReal parses OFAC SDN, OFAC non-SDN and UN, or skips naming the missing path.
func loadReal(tb testing.TB) []screening.Entity {
	tb.Helper()
	sets := []struct {
		source string
		files  []string
	}{
		{lists.SourceOFACSDN, []string{"us_ofac/sdn.csv", "us_ofac/alt.csv", "us_ofac/add.csv", "us_ofac/sdn_comments.csv"}},
		{lists.SourceOFACConsolidated, []string{"us_non_sdn/cons_prim.csv", "us_non_sdn/cons_alt.csv", "us_non_sdn/cons_add.csv", "us_non_sdn/cons_comments.csv"}},
		{lists.SourceUN, []string{"un/UN_consolidated.xml"}},
	}
	var all []screening.Entity
	for _, s := range sets {
		var fs []lists.File
		for _, r := range s.files {
			p := filepath.Join(dataDir, r)
			f, err := os.Open(p)
			if os.IsNotExist(err) {
				tb.Skipf("real list data missing: %s (the ../shared/data/lists folder beside the repository)", p)
			}
			if err != nil {
				tb.Fatal(err)
			}
			defer f.Close()
			fs = append(fs, lists.File{Name: filepath.Base(p), R: f})
		}
		ents, err := lists.Parse(s.source, fs)
		if err != nil {
			tb.Fatal(err)
		}
		all = append(all, ents...)
	}
	return all
}

// benchQueries mixes listed names, variants and ordinary names.
func benchQueries(ents []screening.Entity, n int) []string {
	rng := rand.New(rand.NewPCG(1, 2))
	ordinary := []string{"John Smith", "Maria Garcia", "Wei Zhang", "Acme Trading Ltd", "Olga Petrova", "Ahmed Hassan", "Priya Sharma", "Blue River Logistics LLC"}
	qs := make([]string, 0, n)
	for len(qs) < n {
		e := ents[rng.IntN(len(ents))]
		switch rng.IntN(4) {
		case 0:
			qs = append(qs, e.Name)
		case 1:
			r := []rune(strings.ToLower(e.Name))
			if len(r) > 3 {
				p := 1 + rng.IntN(len(r)-2)
				r[p] = 'x'
			}
			qs = append(qs, string(r))
		case 2:
			qs = append(qs, ordinary[rng.IntN(len(ordinary))])
		case 3:
			if len(e.Aliases) > 0 {
				qs = append(qs, e.Aliases[rng.IntN(len(e.Aliases))].Name)
			} else {
				qs = append(qs, e.Name)
			}
		}
	}
	return qs
}

// newIndex builds the index as a server has it after its first queries:
// with the skeleton-run index that the first abjad query builds, so that
// its cost is counted in BenchmarkIndexBuild and not in one search.
func newIndex(ents []screening.Entity) *screening.Index {
	ix := screening.NewIndex(ents)
	ix.Search(screening.Query{Name: "محمد"})
	return ix
}

func BenchmarkIndexBuild(b *testing.B) {
	ents := loadReal(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		newIndex(ents)
	}
	b.ReportMetric(float64(len(ents)), "entities")
}

func BenchmarkSearch(b *testing.B) {
	ents := loadReal(b)
	ix := newIndex(ents)
	qs := benchQueries(ents, 1000)
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuTime()
	i := 0
	for b.Loop() {
		ix.Search(screening.Query{Name: qs[i%len(qs)]})
		i++
	}
	b.ReportMetric(float64(cpuTime()-c0)/float64(b.N), "cpu-ns/op")
}

// cpuTime is the processor time of the process so far (user and system).
// On a loaded machine it tracks the work done better than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSearchParallel runs 8 concurrent clients (4 per core on 2 cores).
func BenchmarkSearchParallel(b *testing.B) {
	ents := loadReal(b)
	ix := newIndex(ents)
	qs := benchQueries(ents, 1000)
	b.SetParallelism(8 / max(1, runtime.GOMAXPROCS(0)))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := rand.IntN(len(qs))
		for pb.Next() {
			ix.Search(screening.Query{Name: qs[i%len(qs)]})
			i++
		}
	})
}

// BenchmarkBatch screens a batch of 10,000 names with one goroutine per core.
func BenchmarkBatch(b *testing.B) {
	ents := loadReal(b)
	ix := newIndex(ents)
	qs := benchQueries(ents, 10000)
	b.ResetTimer()
	start := time.Now()
	n := 0
	for b.Loop() {
		batch(ix, qs)
		n += len(qs)
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "names/s")
}

func batch(ix *screening.Index, qs []string) {
	workers := runtime.GOMAXPROCS(0)
	done := make(chan struct{})
	for w := 0; w < workers; w++ {
		go func(w int) {
			for i := w; i < len(qs); i += workers {
				ix.Search(screening.Query{Name: qs[i]})
			}
			done <- struct{}{}
		}(w)
	}
	for w := 0; w < workers; w++ {
		<-done
	}
}

// BenchmarkLatency reports single-client p50/p99 latency and resident memory
// after building the real index.
func BenchmarkLatency(b *testing.B) {
	ents := loadReal(b)
	t0 := time.Now()
	ix := newIndex(ents)
	build := time.Since(t0)
	qs := benchQueries(ents, 5000)
	b.ResetTimer()
	var lat []time.Duration
	i := 0
	for b.Loop() {
		s := time.Now()
		ix.Search(screening.Query{Name: qs[i%len(qs)]})
		lat = append(lat, time.Since(s))
		i++
	}
	b.StopTimer()
	reportLatency(b, lat)
	b.ReportMetric(build.Seconds()*1000, "build-ms")
	b.ReportMetric(rssMB(), "rss-MB")
	runtime.KeepAlive(ix)
}

func reportLatency(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}

// rssMB reads the resident set size from /proc (0 when unavailable).
func rssMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmRSS:") {
			f := strings.Fields(l)
			if len(f) >= 2 {
				kb, _ := strconv.ParseFloat(f[1], 64)
				return kb / 1024
			}
		}
	}
	return 0
}

// BenchmarkSynthetic1M builds a 1,000,000-entity index from real name
// tokens and reports build time, resident memory and p50/p99. It runs only
// with KYC_BENCH_1M=1.
func BenchmarkSynthetic1M(b *testing.B) {
	if os.Getenv("KYC_BENCH_1M") == "" {
		b.Skip("set KYC_BENCH_1M=1 to run the 1,000,000-entity benchmark")
	}
	ents := loadReal(b)
	var toks []string
	seen := map[string]bool{}
	for _, e := range ents {
		for _, t := range strings.Fields(e.Name) {
			if !seen[t] {
				seen[t] = true
				toks = append(toks, t)
			}
		}
	}
	rng := rand.New(rand.NewPCG(5, 6))
	syn := make([]screening.Entity, 1_000_000)
	for i := range syn {
		n := 2 + rng.IntN(3)
		parts := make([]string, n)
		for k := range parts {
			parts[k] = toks[rng.IntN(len(toks))]
		}
		syn[i] = screening.Entity{ID: "syn:" + strconv.Itoa(i), Source: "syn", SourceID: strconv.Itoa(i), Type: screening.TypePerson, Name: strings.Join(parts, " ")}
		if rng.IntN(3) == 0 {
			syn[i].Aliases = []screening.Alias{{Name: parts[n-1] + " " + toks[rng.IntN(len(toks))]}}
		}
	}
	ents = nil
	runtime.GC()
	t0 := time.Now()
	ix := screening.NewIndex(syn)
	build := time.Since(t0)
	qs := benchQueries(syn, 2000)
	b.ResetTimer()
	var lat []time.Duration
	i := 0
	for b.Loop() {
		s := time.Now()
		ix.Search(screening.Query{Name: qs[i%len(qs)]})
		lat = append(lat, time.Since(s))
		i++
	}
	b.StopTimer()
	reportLatency(b, lat)
	b.ReportMetric(build.Seconds(), "build-s")
	b.ReportMetric(rssMB(), "rss-MB")
	runtime.KeepAlive(ix)
}
