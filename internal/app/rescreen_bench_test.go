package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/screening/lists"
	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/store/testdb"
)

// benchEnv reads a positive integer from the environment, or def.
func benchEnv(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

var (
	benchGiven  = strings.Fields("Anna Maria Lars Erik Karin Johan Sofia Ahmed Fatima Mohammed Olga Ivan Wei Li Priya Raj Carlos Lucia John Mary Pierre Claire Hans Greta Yuki Kenji Amara Kwame Sara David Elena Mikhail Aisha Omar Ingrid Nils Marta Pablo Ana Jan")
	benchFamily = strings.Fields("Eriksson Nilsson Karlsson Andersson Johansson Larsson Olsson Persson Svensson Gustafsson Petrov Ivanova Smirnov Wang Zhang Chen Patel Sharma Garcia Martinez Lopez Smith Jones Brown Dubois Martin Muller Schmidt Fischer Tanaka Sato Okafor Mensah Haddad Rahman Hussain Kowalski Novak Horvat Rossi Bianchi Silva Santos Costa Jensen Hansen Berg Lund Holm Sandberg")
	benchSyl    = strings.Fields("al ba dan el far gar han ib jan ka lo ma nur os pe ra sa ta ul va yo za mi ri ko de vor lan tesh kir")
)

// benchWord makes a name part from syllables: list names that no customer
// shares unless the benchmark plants one.
func benchWord(rng *rand.Rand) string {
	var b strings.Builder
	for k := 2 + rng.IntN(2); k > 0; k-- {
		b.WriteString(benchSyl[rng.IntN(len(benchSyl))])
	}
	w := b.String()
	return strings.ToUpper(w[:1]) + w[1:]
}

// benchPerson is a customer-like person: realistic given and family names
// (many customers share them), a birth date and a full address and
// document, so that the encrypted record has a real size.
func benchPerson(rng *rand.Rand, i int) domain.Person {
	return domain.Person{
		GivenNames: benchGiven[rng.IntN(len(benchGiven))] + " " + benchGiven[rng.IntN(len(benchGiven))],
		FamilyName: benchFamily[rng.IntN(len(benchFamily))],
		BirthDate:  fmt.Sprintf("19%02d-%02d-%02d", 40+rng.IntN(60), 1+rng.IntN(12), 1+rng.IntN(28)), Nationality: "SE",
		Email: fmt.Sprintf("customer%d@example.com", i), Phone: "+46701234567",
		Address:    &domain.Address{Line1: fmt.Sprintf("Storgatan %d", 1+i%200), City: "Stockholm", PostalCode: "11122", Country: "SE"},
		Occupation: "Teacher", ExpectedMonthlyVolume: &domain.Money{Amount: 300000, Currency: "EUR"}, SourceOfFunds: "Salary",
		Document: &domain.IdentityDocument{Type: domain.DocIDCard, Number: fmt.Sprintf("AB%07d", i), IssuingCountry: "SE", ExpiryDate: "2030-01-01"},
	}
}

// seedBook stores n approved customers directly through the store, their
// data encrypted as the application does (one in ten a business with two
// related persons), in transactions of 10,000 written by the store's bulk
// path (Customers().CreateMany: a few round trips per transaction, not one
// per customer, so that a book of a million loads in minutes on
// PostgreSQL too).
func seedBook(b *testing.B, h *kyctest.Bundle, n int) {
	b.Helper()
	rng := rand.New(rand.NewPCG(7, 8))
	now := time.Now().UTC()
	recs := make([]store.CustomerRecord, 0, 10_000)
	for start := 0; start < n; start += 10_000 {
		recs = recs[:0]
		for i := start; i < min(n, start+10_000); i++ {
			var data domain.CustomerData
			typ := domain.CustomerIndividual
			if i%10 == 9 {
				typ = domain.CustomerBusiness
				data.Business = &domain.Business{LegalName: benchWord(rng) + " Trading AB", RegistrationNumber: fmt.Sprint(i), IncorporationCountry: "SE",
					RelatedPersons: []domain.RelatedPerson{{Person: benchPerson(rng, i), Roles: []domain.RelatedRole{domain.RoleUBO}}, {Person: benchPerson(rng, i+1), Roles: []domain.RelatedRole{domain.RoleDirector}}}}
			} else {
				p := benchPerson(rng, i)
				data.Individual = &p
			}
			plain, err := json.Marshal(data)
			if err != nil {
				b.Fatal(err)
			}
			id := fmt.Sprintf("cus_bench%09d", i)
			sealed, err := h.Vault.Seal(plain, app.CustomerAAD(id))
			if err != nil {
				b.Fatal(err)
			}
			recs = append(recs, store.CustomerRecord{
				ID: id, Tenant: "", Type: string(typ), Status: string(domain.StatusApproved), RiskRating: "low", DueDiligence: "standard",
				Data: sealed, Version: 1, CreatedAt: now, UpdatedAt: now,
			})
		}
		if err := h.Store.InTx(h.Ctx, func(tx store.Tx) error { return tx.Customers().CreateMany(h.Ctx, recs) }); err != nil {
			b.Fatal(err)
		}
	}
}

// benchList is an OpenSanctions edition of n synthetic persons and, when
// planted > 0, that many more named like customers of the book.
func benchList(n, planted, seed int) ([]lists.File, int) {
	rng := rand.New(rand.NewPCG(uint64(seed), 9))
	var buf bytes.Buffer
	add := func(id, name, birth string) {
		line, _ := json.Marshal(map[string]any{"id": id, "schema": "Person", "caption": name,
			"properties": map[string][]string{"name": {name}, "birthDate": {birth}, "topics": {"sanction"}}, "datasets": []string{"bench"}})
		buf.Write(line)
		buf.WriteByte('\n')
	}
	for i := range n {
		add(fmt.Sprintf("e%d-%d", seed, i), benchWord(rng)+" "+benchWord(rng)+" "+strings.ToUpper(benchWord(rng)), "1960-01-01")
	}
	crng := rand.New(rand.NewPCG(7, 8)) // the book's generator: its first people
	for i := range planted {
		p := benchPerson(crng, i)
		add(fmt.Sprintf("p%d-%d", seed, i), p.GivenNames+" "+strings.ToUpper(p.FamilyName), p.BirthDate)
	}
	return []lists.File{{Name: "entities.ftm.json", R: bytes.NewReader(buf.Bytes())}}, n + planted
}

// BenchmarkRescreen measures re-screening the customer book after a list
// update (README, "Performance"): KYC_BENCH_CUSTOMERS approved customers
// (default 10,000; the published figure uses 1,000,000) against a delta of
// KYC_BENCH_DELTA added entities (default 1,000, 20 of them named like
// customers) on a list of KYC_BENCH_LIST entities (default 20,000), beside
// a full re-screen of the book against the whole list, and the bulk read
// and decryption alone. Each op is one whole run; customers/s is the
// book's size over the run's time.
func BenchmarkRescreen(b *testing.B) {
	customers := benchEnv("KYC_BENCH_CUSTOMERS", 10_000)
	listN := benchEnv("KYC_BENCH_LIST", 20_000)
	deltaN := benchEnv("KYC_BENCH_DELTA", 1_000)
	for _, engine := range []string{testdb.SQLite, testdb.Postgres} {
		b.Run(engine, func(b *testing.B) {
			h := kyctest.New(b, kyctest.WithEngine(engine), kyctest.WithRealTime())
			seedStart := time.Now()
			seedBook(b, h, customers)
			files, _ := benchList(listN, 0, 1)
			base, err := h.App.Screening.Import(h.Ctx, kyctest.Operator, lists.SourceOpenSanctions, files, true)
			if err != nil {
				b.Fatal(err)
			}
			// The update: the base list plus deltaN new entities.
			var both bytes.Buffer
			baseFiles, _ := benchList(listN, 0, 1)
			both.ReadFrom(baseFiles[0].R)
			deltaFiles, _ := benchList(deltaN-20, 20, 2)
			both.ReadFrom(deltaFiles[0].R)
			upd, err := h.App.Screening.Import(h.Ctx, kyctest.Operator, lists.SourceOpenSanctions, []lists.File{{Name: "entities.ftm.json", R: bytes.NewReader(both.Bytes())}}, true)
			if err != nil || upd.Added != deltaN {
				b.Fatalf("update: %+v %v", upd, err)
			}
			b.Logf("%s: %d customers seeded in %s; list %d entities, delta %d", engine, customers, time.Since(seedStart).Round(time.Millisecond), listN, deltaN)
			run := func(b *testing.B, prev string) {
				cpu0 := cpuTime()
				for range b.N {
					now := time.Now().UTC()
					id := domain.NewID("rsr", now)
					if err := h.Store.Rescreens().CreateRun(h.Ctx, store.RescreenRun{ID: id, SnapshotID: upd.Snapshot.ID, PreviousSnapshotID: prev,
						Source: lists.SourceOpenSanctions, Status: app.RescreenPending, CreatedAt: now, UpdatedAt: now}); err != nil {
						b.Fatal(err)
					}
					if done, err := h.App.Rescreening.Process(h.Ctx, id, 0); err != nil || !done {
						b.Fatalf("run: %v %v", done, err)
					}
					r, _ := h.App.Rescreening.Run(h.Ctx, id)
					if r.Customers != int64(customers) {
						b.Fatalf("run screened %d customers, want %d", r.Customers, customers)
					}
				}
				b.ReportMetric(float64(customers)*float64(b.N)/b.Elapsed().Seconds(), "customers/s")
				// CPU time is what a loaded machine cannot hide: the run's
				// wall time on an idle machine is about this over the cores
				// the batches are screened on.
				b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N)/float64(customers)*1e6, "cpu-s/1M")
			}
			// The runs the import started (delta, then full for the first
			// import) are worked first, so that hits exist already.
			if err := h.App.Rescreening.RunAll(h.Ctx); err != nil {
				b.Fatal(err)
			}
			b.Run("delta", func(b *testing.B) { run(b, base.Snapshot.ID) })
			b.Run("full", func(b *testing.B) { run(b, "") })
			b.Run("read+decrypt", func(b *testing.B) {
				cpu0 := cpuTime()
				for range b.N {
					after := ""
					for {
						batch, err := h.Store.Rescreens().ActiveCustomers(h.Ctx, after, app.DefaultRescreenBatch)
						if err != nil {
							b.Fatal(err)
						}
						if len(batch) == 0 {
							break
						}
						for _, c := range batch {
							plain, err := h.Vault.Open(c.Data, app.CustomerAAD(c.ID))
							if err != nil {
								b.Fatal(err)
							}
							var d domain.CustomerData
							if err := json.Unmarshal(plain, &d); err != nil {
								b.Fatal(err)
							}
						}
						after = batch[len(batch)-1].ID
					}
				}
				b.ReportMetric(float64(customers)*float64(b.N)/b.Elapsed().Seconds(), "customers/s")
				b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N)/float64(customers)*1e6, "cpu-s/1M")
			})
		})
	}
}
