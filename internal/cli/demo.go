package cli

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"sort"
	"strings"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/app/inline"
	"github.com/kyc-platform/kyc/internal/config"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/screening/lists"
	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/verify"
)

// demodata holds a small OFAC SDN fixture in the official CSV format: real
// list entries (public data), so that sample customers with those names
// produce real screening hits.
//
//go:embed demodata/*.csv
var demodata embed.FS

// runDemo fills a fresh database with sample staff users, customers
// (individuals and businesses, some bearing names from the sanctions list),
// cases in every state and four months of history, written through the
// application layer with a backdated clock so that every record and audit
// event is what the real flows produce.
func runDemo(ctx context.Context, e *Env, args []string) error {
	var days int
	var asJSON bool
	return withSystem(ctx, e, "demo", args, func(_ *config.Config, fs *flag.FlagSet) {
		fs.IntVar(&days, "days", 120, "days of history to create")
		fs.BoolVar(&asJSON, "json", false, "print one JSON object (the counts and the staff users' one-time passwords)")
	}, func(sys *system, pos []string) error {
		if len(pos) > 0 {
			return usageErr("unexpected argument %q", pos[0])
		}
		// A fresh database: no customer yet (the first administrator that
		// kyc serve creates on its first start does not count).
		if cs, err := sys.store.Customers().List(ctx, store.CustomerFilter{Limit: 1}); err != nil {
			return err
		} else if len(cs) > 0 {
			return &exitError{code: 1, msg: "demo: the database already has customers; kyc demo fills a fresh database only (use another KYC_DATA_DIR or KYC_DATABASE_URL)"}
		}
		byStatus, err := sys.store.Customers().CountByStatus(ctx)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		for _, n := range byStatus {
			if n > 0 {
				return &exitError{code: 1, msg: "demo: the database already has customers; kyc demo fills a fresh database only"}
			}
		}
		d, err := newDemo(sys, days)
		if err != nil {
			return err
		}
		creds, err := d.run(ctx, e)
		if cerr := d.hooks.close(ctx, d.app, d.clock.Peek()); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		if asJSON {
			received, retried, bad := d.hooks.stats()
			open, overdue, err := d.openReviews(ctx)
			if err != nil {
				return err
			}
			users := make([]map[string]string, 0, len(creds))
			for _, c := range creds {
				users = append(users, map[string]string{"email": c.email, "role": c.role, "one_time_password": c.password})
			}
			return printJSON(e.Stdout, map[string]any{
				"customers": d.customers, "cases": d.cases, "days": days, "alerts": d.alerts,
				"webhook_deliveries": map[string]int{"received": received, "retried": retried, "bad_signature": bad},
				"reviews":            map[string]int{"due": open, "overdue": overdue},
				"staff_url":          sys.cfg.PublicURL() + "/staff/",
				"users":              users,
			})
		}
		fmt.Fprintf(e.Stdout, "\nDemo data created: %d customers, %d cases, %d days of history.\n", d.customers, d.cases, days)
		fmt.Fprintf(e.Stdout, "Transaction monitoring: %d customers with transaction histories that raised %d alerts, at least one for each default rule (see the transaction_alert cases).\n", len(demoScenarios), d.alerts)
		received, retried, bad := d.hooks.stats()
		fmt.Fprint(e.Stdout, d.listUpdateSummary())
		fmt.Fprintf(e.Stdout, "Webhooks: %d signed deliveries to the demo receiver (%d retried after a 500, %d with a bad signature); see Admin → Webhooks.\n\n", received, retried, bad)
		open, overdue, err := d.openReviews(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "Periodic reviews: %d due (%d overdue); see the dashboard.\n\n", open, overdue)
		fmt.Fprintf(e.Stdout, "Start the server with `kyc serve` and open %s/staff/ . Sign in as:\n\n", sys.cfg.PublicURL())
		fmt.Fprintf(e.Stdout, "  %-26s %-8s %s\n", "e-mail", "role", "one-time password")
		for _, c := range creds {
			fmt.Fprintf(e.Stdout, "  %-26s %-8s %s\n", c.email, c.role, c.password)
		}
		fmt.Fprintln(e.Stdout, "\nEach password works once: you choose your own at the first sign-in; mlro and admin then set up an authenticator app (TOTP).")
		return nil
	})
}

type demo struct {
	sys       *system
	app       *app.App
	clock     *inline.Clock // backdated: set to each event's time
	queue     *inline.Queue // the checks of a submission, run at once in process
	hooks     *demoWebhooks // the webhook receiver, and the deliveries run as the clock moves
	now       time.Time
	start     time.Time
	users     map[string]domain.Actor
	events    []demoEvent
	customers int
	cases     int
	alerts    int             // raised by the monitoring scenarios
	rescreen  app.RescreenRun // the re-screening after the demo's list update
}

type demoEvent struct {
	at time.Time
	do func(ctx context.Context) error
}

type demoCred struct{ email, role, password string }

func newDemo(sys *system, days int) (*demo, error) {
	now := time.Now().UTC()
	start := now.AddDate(0, 0, -days)
	// The clock starts early enough for the monitoring scenarios
	// (demo_transactions.go), whatever --days says, and before the
	// long-standing customers (planReviews), onboarded three years and more
	// ago: the staff and the list were there then.
	clockStart := now.AddDate(-3, 0, -60)
	if early := now.Add(-demoMonitoringSpan); early.Before(clockStart) {
		clockStart = early
	}
	d := &demo{sys: sys, clock: inline.NewClock(clockStart, time.Millisecond), queue: &inline.Queue{}, now: now, start: start, users: map[string]domain.Actor{}}
	// The application of kyc serve, with the demo's clock and queue, and
	// the offline document verifier whatever provider is configured: sample
	// data must not reach an external identity service.
	deps := sys.deps
	deps.Enqueue, deps.Now, deps.Metrics = d.queue, d.clock.Now, nil
	deps.Identity = verify.NewDocument(verify.DocumentOptions{MinAge: sys.cfg.MinAge})
	hooks, err := newDemoWebhooks()
	if err != nil {
		return nil, fmt.Errorf("demo webhook receiver: %w", err)
	}
	d.hooks = hooks
	deps.Webhooks = hooks.webhookDeps()
	// Re-screening runs in process (RunAll), not as a job of kyc serve.
	deps.Rescreen = nil
	d.app = app.New(deps)
	return d, nil
}

func (d *demo) at(t time.Time, fn func(ctx context.Context) error) {
	d.events = append(d.events, demoEvent{at: t, do: fn})
}

func (d *demo) run(ctx context.Context, e *Env) ([]demoCred, error) {
	op := domain.SystemActor("cli:demo")
	var creds []demoCred
	for _, u := range []struct{ email, role string }{
		{"ana.analyst@demo.kyc", app.RoleAnalyst}, {"ben.analyst@demo.kyc", app.RoleAnalyst},
		{"mia.mlro@demo.kyc", app.RoleMLRO}, {"otto.auditor@demo.kyc", app.RoleAuditor}, {"ada.admin@demo.kyc", app.RoleAdmin},
	} {
		nu, err := d.app.Users.Create(ctx, op, app.CreateUserInput{Email: u.email, Role: u.role})
		if err != nil {
			return nil, fmt.Errorf("demo user: %w", err)
		}
		creds = append(creds, demoCred{u.email, u.role, nu.OneTimePassword})
		key := u.role
		if _, ok := d.users[key]; ok {
			key += "2"
		}
		d.users[key] = nu.User.Actor()
	}
	var files []lists.File
	for _, n := range []string{"sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"} {
		b, err := demodata.ReadFile("demodata/" + n)
		if err != nil {
			return nil, err
		}
		files = append(files, lists.File{Name: n, R: bytes.NewReader(b)})
	}
	if _, err := d.app.Screening.Import(ctx, op, lists.SourceOFACSDN, files, false); err != nil {
		return nil, fmt.Errorf("demo list: %w", err)
	}
	if err := d.hooks.register(ctx, d.app, op); err != nil {
		return nil, fmt.Errorf("demo webhook endpoint: %w", err)
	}
	d.plan()
	d.planTransactions()
	d.planListUpdate()
	sort.SliceStable(d.events, func(i, j int) bool { return d.events[i].at.Before(d.events[j].at) })
	for i, ev := range d.events {
		d.clock.Set(ev.at)
		if err := ev.do(ctx); err != nil {
			return nil, fmt.Errorf("demo event %d at %s: %w", i, ev.at.Format(time.RFC3339), err)
		}
		if err := d.hooks.deliver(ctx, d.app, d.clock.Peek()); err != nil {
			return nil, fmt.Errorf("demo webhooks: %w", err)
		}
		if isTerminal(e.Stderr) {
			fmt.Fprintf(e.Stderr, "\rcreating demo data: %d/%d", i+1, len(d.events))
		}
	}
	if isTerminal(e.Stderr) {
		fmt.Fprintln(e.Stderr)
	}
	return creds, nil
}

// demoPerson is one sample individual.
type demoPerson struct {
	given, family, birth, nat, city, postal, street, occupation string
	pep, remote                                                 bool
	volume                                                      int64
}

var demoPeople = []demoPerson{
	{"Anna Maria", "Eriksson", "1990-08-12", "SE", "Stockholm", "11122", "Storgatan 1", "Teacher", false, false, 300000},
	{"Lukas", "Becker", "1985-02-03", "DE", "Berlin", "10115", "Invalidenstraße 12", "Software engineer", false, false, 450000},
	{"Sofia", "García López", "1992-11-21", "ES", "Madrid", "28013", "Calle Mayor 7", "Architect", false, true, 380000},
	{"Andrey", "Zakharov", "1969-01-08", "RU", "Moscow", "101000", "Tverskaya 14", "Company director", false, true, 2500000},
	{"Jean-Luc", "Moreau", "1978-06-30", "FR", "Lyon", "69002", "Rue de la République 22", "Physician", false, false, 900000},
	{"Chiara", "Rossi", "1988-04-17", "IT", "Milan", "20121", "Via Manzoni 3", "Jeweller", false, true, 1200000},
	{"Nicolas", "Maduro Moros", "1962-11-23", "VE", "Caracas", "1010", "Avenida Urdaneta 1", "Politician", true, true, 5000000},
	{"Emma", "de Vries", "1995-09-09", "NL", "Amsterdam", "1012", "Damrak 70", "Nurse", false, false, 250000},
	{"Piotr", "Kowalski", "1981-12-01", "PL", "Warsaw", "00-001", "ul. Marszałkowska 10", "Electrician", false, false, 200000},
	{"Oliver", "Smith", "1976-03-14", "GB", "London", "EC1A 1BB", "1 King Street", "Barrister", false, false, 1500000},
	{"Arkady", "Rotenberg", "1951-12-15", "RU", "Saint Petersburg", "190000", "Nevsky Prospekt 28", "Investor", false, true, 9000000},
	{"Fatima", "Haddad", "1987-07-07", "LB", "Beirut", "1107", "Hamra Street 45", "Money services operator", false, true, 1800000},
	{"Mateo", "Fernández", "1999-01-25", "AR", "Buenos Aires", "C1002", "Avenida de Mayo 100", "Student", false, true, 80000},
	{"Ingrid", "Johansen", "1965-05-05", "NO", "Oslo", "0150", "Karl Johans gate 5", "Retired", false, false, 150000},
	{"Ramzan", "Kadyrov", "1976-10-05", "RU", "Grozny", "364000", "Prospekt Putina 1", "Head of republic", true, true, 3000000},
	{"Hannah", "Müller", "1993-08-30", "DE", "Munich", "80331", "Marienplatz 8", "Product manager", false, false, 420000},
	{"Yusuf", "Demir", "1984-02-28", "TR", "Istanbul", "34000", "İstiklal Caddesi 50", "Gold trader", false, true, 2200000},
	{"Marta", "Nowak", "1979-10-10", "PL", "Kraków", "31-001", "Rynek Główny 9", "Accountant", false, false, 300000},
	{"Oleg", "Deripaska", "1968-01-02", "CY", "Limassol", "3036", "Makariou Avenue 2", "Industrialist", false, true, 8000000},
	{"Laura", "Bianchi", "1990-03-03", "IT", "Rome", "00184", "Via Nazionale 40", "Designer", false, false, 260000},
	{"Tomás", "Silva", "1982-12-12", "PT", "Lisbon", "1100-148", "Rua Augusta 100", "Chef", false, false, 220000},
	{"Aiko", "Tanaka", "1991-06-18", "JP", "Tokyo", "100-0001", "1-1 Chiyoda", "Researcher", false, true, 500000},
	{"Grace", "Okafor", "1986-09-22", "NG", "Lagos", "100001", "12 Marina Road", "Entrepreneur", false, true, 700000},
	{"Andreas", "Zacharias", "1975-01-08", "GR", "Athens", "10557", "Ermou 20", "Ship broker", false, false, 1100000},
	{"Elena", "Popescu", "1989-04-04", "RO", "Bucharest", "010011", "Calea Victoriei 12", "Pharmacist", false, false, 240000},
	{"Daniel", "Novák", "1983-07-19", "CZ", "Prague", "110 00", "Václavské náměstí 1", "Civil servant", true, false, 350000},
	{"Isabelle", "Laurent", "1970-02-14", "BE", "Brussels", "1000", "Rue Neuve 30", "Notary", false, false, 800000},
	{"Kim", "Jong Un", "1984-01-08", "KP", "Pyongyang", "00000", "Kim Il Sung Square 1", "Chairman", true, true, 9900000},
	{"Noah", "Keller", "1996-12-30", "CH", "Zürich", "8001", "Bahnhofstrasse 1", "Analyst", false, false, 600000},
	{"Leila", "Ahmadi", "1980-05-21", "AE", "Dubai", "00000", "Sheikh Zayed Road 1", "Crypto exchange founder", false, true, 4000000},
	{"Mikko", "Virtanen", "1977-11-11", "FI", "Helsinki", "00100", "Mannerheimintie 5", "Forester", false, false, 180000},
	{"Clara", "Schneider", "1998-02-02", "AT", "Vienna", "1010", "Graben 15", "Student", false, false, 60000},
	{"Viktor", "Petrov", "1972-08-08", "BG", "Sofia", "1000", "Vitosha Boulevard 10", "Casino manager", false, true, 1300000},
	{"Lucía", "Martínez", "1994-10-01", "MX", "Mexico City", "06000", "Avenida Juárez 70", "Journalist", false, true, 200000},
	{"Henrik", "Larsen", "1968-03-27", "DK", "Copenhagen", "1050", "Strøget 12", "Shipowner", false, false, 3000000},
	{"Amélie", "Dubois", "1987-12-24", "FR", "Paris", "75001", "Rue de Rivoli 99", "Art dealer", false, true, 1600000},
}

type demoBusiness struct {
	name, reg, country, inc, form, industry, city, postal, street, website string
	// parties are the related persons and companies; a person's address
	// is the company's, and each beneficial owner and control person gets
	// an identity document.
	parties []demoParty
}

// demoParty is a related party of a demo business: a person (given,
// family, birth, nat) or a company (company, reg, nat as its country).
type demoParty struct {
	id, given, family, birth, nat, company, reg, via string
	pct                                              float64
	roles                                            []domain.RelatedRole
}

var (
	ubo      = domain.RoleUBO
	director = domain.RoleDirector
	smo      = domain.RoleSeniorManagingOfficial
	holder   = domain.RoleShareholder
)

var demoBusinesses = []demoBusiness{
	{"Nordlicht Software GmbH", "HRB 123456", "DE", "2015-04-01", "GmbH", "62.01", "Hamburg", "20095", "Mönckebergstraße 7", "https://nordlicht.example", []demoParty{
		{given: "Lukas", family: "Becker", birth: "1985-02-03", nat: "DE", pct: 50, roles: []domain.RelatedRole{ubo, director}},
		{given: "Hannah", family: "Müller", birth: "1993-08-30", nat: "DE", pct: 50, roles: []domain.RelatedRole{ubo, director}},
	}},
	// Three layers: Yusuf Demir owns Bosphorus Capital Ltd (BVI), which owns
	// Aurora Holdings Ltd, which owns the customer.
	{"Aurora Gold Trading Ltd", "12345678", "GB", "2024-11-01", "Ltd", "46.72", "London", "EC2V 6DN", "10 Cheapside", "https://auroragold.example", []demoParty{
		{id: "aurora-holdings", company: "Aurora Holdings Ltd", reg: "87654321", nat: "GB", pct: 100},
		{id: "bosphorus", company: "Bosphorus Capital Ltd", reg: "BVI 1987654", nat: "VG", pct: 100, via: "aurora-holdings"},
		{given: "Yusuf", family: "Demir", birth: "1984-02-28", nat: "TR", pct: 100, via: "bosphorus", roles: []domain.RelatedRole{ubo, director}},
	}},
	{"Basic Element Holdings Ltd", "HE 123456", "CY", "2010-06-15", "Ltd", "64.20", "Limassol", "3036", "Makariou Avenue 2", "https://basic-element.example", []demoParty{
		{given: "Oleg", family: "Deripaska", birth: "1968-01-02", nat: "RU", pct: 100, roles: []domain.RelatedRole{ubo, director}},
	}},
	// Two layers: Sofia García López holds the customer through Verde
	// Holding S.L. (100% of 70%: 70% effective).
	{"Verde Logistics S.L.", "B12345678", "ES", "2012-09-09", "S.L.", "52.29", "Valencia", "46001", "Calle de Colón 2", "https://verde.example", []demoParty{
		{id: "verde-holding", company: "Verde Holding S.L.", reg: "B87654321", nat: "ES", pct: 70},
		{given: "Sofia", family: "García López", birth: "1992-11-21", nat: "ES", pct: 100, via: "verde-holding", roles: []domain.RelatedRole{ubo}},
		{given: "Tomás", family: "Silva", birth: "1982-12-12", nat: "PT", pct: 30, roles: []domain.RelatedRole{ubo, director}},
	}},
	// Widely held: no one owns 25% or more, so the senior managing official
	// is recorded as the beneficial owner.
	{"Bluewave Payments B.V.", "87654321", "NL", "2021-03-20", "B.V.", "66.19", "Rotterdam", "3011", "Coolsingel 40", "https://bluewave.example", []demoParty{
		{given: "Emma", family: "de Vries", birth: "1995-09-09", nat: "NL", pct: 12, roles: []domain.RelatedRole{smo, director, holder}},
		{id: "maas-ventures", company: "Maas Ventures B.V.", reg: "76543210", nat: "NL", pct: 20},
		{given: "Daan", family: "Visser", birth: "1979-04-17", nat: "NL", pct: 100, via: "maas-ventures", roles: []domain.RelatedRole{holder}},
		{given: "Sanne", family: "Bakker", birth: "1988-07-07", nat: "NL", pct: 18, roles: []domain.RelatedRole{holder}},
	}},
	{"Helvetia Precision AG", "CHE-123.456.789", "CH", "1998-01-12", "AG", "28.41", "Basel", "4051", "Freie Strasse 20", "https://helvetia-precision.example", []demoParty{
		{given: "Noah", family: "Keller", birth: "1996-12-30", nat: "CH", pct: 50, roles: []domain.RelatedRole{ubo, director}},
		{given: "Ingrid", family: "Johansen", birth: "1965-05-05", nat: "NO", pct: 50, roles: []domain.RelatedRole{ubo}},
	}},
}

// sanctioned names in the fixture: a hit on them is a true match.
var demoTrueMatches = map[string]bool{"Andrey Zakharov": true, "Arkady Rotenberg": true, "Ramzan Kadyrov": true, "Kim Jong Un": true}

// plan schedules every customer's life: creation, submission and checks at
// its start, then the staff's work on its case days later (or not yet for
// the newest), so that cases exist in every state.
func (d *demo) plan() {
	total := len(demoPeople) + len(demoBusinesses)
	span := d.now.Sub(d.start)
	idx := 0
	startOf := func(i int) time.Time {
		// Spread over the period, a little denser towards today; office hours.
		f := float64(i) / float64(total)
		t := d.start.Add(time.Duration(float64(span) * (0.05 + 0.93*f)))
		return time.Date(t.Year(), t.Month(), t.Day(), 8+i%9, (i*17)%60, 0, 0, time.UTC)
	}
	for i, p := range demoPeople {
		t0 := startOf(idx)
		idx++
		data := domain.CustomerData{FaceToFace: !p.remote, Individual: p.individual(i)}
		d.customer(t0, domain.CustomerIndividual, data, i)
	}
	for i, b := range demoBusinesses {
		t0 := startOf(idx)
		idx++
		d.customer(t0, domain.CustomerBusiness, domain.CustomerData{Business: b.business()}, len(demoPeople)+i)
	}
	d.planReviews()
}

// demoLongStanding are low-risk customers onboarded about three years ago
// (the default model's review interval for low risk), so that periodic
// reviews fall due during the demo's history: days is how many days ago
// (negative: from now) each one's review date is.
var demoLongStanding = []struct {
	p    demoPerson
	days int
}{
	{demoPerson{"Margit", "Svensson", "1958-04-02", "SE", "Malmö", "21122", "Södergatan 3", "Retired", false, false, 120000}, 40},
	{demoPerson{"Pieter", "Janssens", "1974-09-15", "BE", "Ghent", "9000", "Veldstraat 12", "Pharmacist", false, false, 280000}, 20},
	{demoPerson{"Katrin", "Weber", "1981-01-27", "DE", "Cologne", "50667", "Hohe Straße 40", "Teacher", false, false, 260000}, 10},
	{demoPerson{"Felix", "Huber", "1969-06-11", "AT", "Graz", "8010", "Herrengasse 9", "Engineer", false, false, 350000}, -20},
}

// planReviews onboards the long-standing customers and runs the
// periodic-review scan as the server's job would (a month ago, two weeks
// ago and now): their reviews open with fresh checks, the oldest is
// decided (the next review set three years on), one stays overdue, one is
// due, and one falls due in the coming weeks (issue 8, item 6).
func (d *demo) planReviews() {
	base := len(demoPeople) + len(demoBusinesses)
	var ids []*string
	for k, ls := range demoLongStanding {
		// Approved about a day and a half after t0 (or at once when low
		// risk is approved automatically); reviewed three years on.
		t0 := d.now.AddDate(-3, 0, -ls.days).Add(-30 * time.Hour)
		t0 = time.Date(t0.Year(), t0.Month(), t0.Day(), 9+k, 15, 0, 0, time.UTC)
		i := base + k
		data := domain.CustomerData{FaceToFace: !ls.p.remote, Individual: ls.p.individual(i)}
		data.Individual.Document.ExpiryDate = fmt.Sprintf("%d-03-31", d.now.Year()+4)
		ids = append(ids, d.customer(t0, domain.CustomerIndividual, data, i))
	}
	for _, ago := range []time.Duration{30 * 24 * time.Hour, 15 * 24 * time.Hour, time.Hour} {
		d.at(d.now.Add(-ago), func(ctx context.Context) error {
			n, err := d.app.Reviews.OpenDue(ctx, 0)
			if err != nil {
				return fmt.Errorf("periodic review scan: %w", err)
			}
			d.cases += n
			_, err = d.queue.RunAll(ctx, d.app.Checks)
			return err
		})
	}
	// The oldest review is decided: the customer stays approved.
	d.at(d.now.Add(-25*24*time.Hour), func(ctx context.Context) error {
		cs, ok, err := d.openCase(ctx, *ids[0])
		if err != nil || !ok {
			return err
		}
		analyst := d.users[app.RoleAnalyst]
		if err := d.assign(ctx, *ids[0], analyst); err != nil {
			return err
		}
		_, err = d.app.Cases.Decide(ctx, analyst, cs.ID, app.DecideInput{Decision: domain.DecisionApprove,
			Reason: "Periodic review: identity document valid, address and occupation confirmed, screening clear."})
		return err
	})
}

func (p demoPerson) individual(i int) *domain.Person {
	email := strings.ToLower(strings.ReplaceAll(strings.Fields(p.given)[0]+"."+strings.Fields(p.family)[0], "'", "")) + "@example.com"
	return &domain.Person{
		GivenNames: p.given, FamilyName: p.family, BirthDate: p.birth, Nationality: p.nat, Email: email,
		// Born where they live, for the sample.
		PlaceOfBirth: &domain.PlaceOfBirth{City: p.city, Country: p.nat},
		Address:      &domain.Address{Line1: p.street, City: p.city, PostalCode: p.postal, Country: p.nat},
		Occupation:   p.occupation, PEPDeclared: p.pep, SourceOfFunds: "Salary and savings",
		ExpectedMonthlyVolume: &domain.Money{Amount: p.volume, Currency: "EUR"},
		Document: &domain.IdentityDocument{Type: domain.DocPassport, Number: fmt.Sprintf("P%08d", 31415926+i*7919),
			IssuingCountry: p.nat, ExpiryDate: fmt.Sprintf("%d-06-30", 2029+i%6)},
	}
}

func (b demoBusiness) business() *domain.Business {
	out := &domain.Business{
		LegalName: b.name, RegistrationNumber: b.reg, IncorporationCountry: b.country, IncorporationDate: b.inc,
		LegalForm: b.form, Industry: b.industry, Website: b.website,
		Address:               &domain.Address{Line1: b.street, City: b.city, PostalCode: b.postal, Country: b.country},
		ExpectedMonthlyVolume: &domain.Money{Amount: 5000000, Currency: "EUR"}, SourceOfFunds: "Trading revenue",
	}
	for i, p := range b.parties {
		rp := domain.RelatedPerson{ID: p.id, Roles: p.roles, OwnershipPercent: p.pct, OwnedVia: p.via}
		if p.company != "" {
			rp.Kind, rp.LegalName, rp.RegistrationNumber, rp.IncorporationCountry = domain.PartyCompany, p.company, p.reg, p.nat
			rp.Roles = []domain.RelatedRole{holder}
		} else {
			rp.Person = domain.Person{GivenNames: p.given, FamilyName: p.family, BirthDate: p.birth, Nationality: p.nat,
				Address: &domain.Address{Line1: b.street, City: b.city, PostalCode: b.postal, Country: b.country}}
			if rp.HasRole(ubo) || rp.IsControlPerson() {
				rp.Document = &domain.IdentityDocument{Type: domain.DocPassport, Number: fmt.Sprintf("B%08d", 27182818+len(b.name)*97+i*7919),
					IssuingCountry: p.nat, ExpiryDate: fmt.Sprintf("%d-09-30", 2029+i%5)}
			}
		}
		out.RelatedPersons = append(out.RelatedPersons, rp)
	}
	return out
}

// customer schedules one customer's life and returns where its id will be
// once created.
func (d *demo) customer(t0 time.Time, typ domain.CustomerType, data domain.CustomerData, i int) *string {
	var id string
	name := ""
	if data.Individual != nil {
		name = data.Individual.FullName()
	}
	age := d.now.Sub(t0)
	d.at(t0, func(ctx context.Context) error {
		c, err := d.app.Customers.Create(ctx, domain.SystemActor("demo-client"), app.CreateCustomerInput{Type: typ, Data: data, ExternalRef: fmt.Sprintf("CRM-%05d", 10400+i)})
		if err != nil {
			return fmt.Errorf("create %s: %w", name, err)
		}
		id = c.ID
		d.customers++
		if i%13 == 12 {
			return nil // left as a draft: the applicant never finished
		}
		// A declared PEP brings the evidence enhanced due diligence is
		// approved with: source of funds and source of wealth.
		if data.Individual != nil && data.Individual.PEPDeclared {
			for _, kind := range []string{"source_of_funds", "source_of_wealth"} {
				if _, err := d.app.Documents.UploadDocument(ctx, domain.SystemActor("demo-client"), app.UploadInput{CustomerID: id, Kind: kind, Content: demoScan()}); err != nil {
					return fmt.Errorf("upload %s of %s: %w", kind, name, err)
				}
			}
		}
		d.clock.Set(t0.Add(20 * time.Minute))
		if _, err := d.app.Customers.Submit(ctx, domain.SystemActor("demo-client"), id); err != nil {
			return fmt.Errorf("submit %s: %w", name, err)
		}
		d.clock.Set(t0.Add(21 * time.Minute))
		_, err = d.queue.RunAll(ctx, d.app.Checks)
		return err
	})
	analyst, analyst2, mlro := d.users[app.RoleAnalyst], d.users[app.RoleAnalyst+"2"], d.users[app.RoleMLRO]
	first := analyst
	if i%2 == 1 {
		first = analyst2
	}
	// Work on the case: the newest few days stay untouched, some are only
	// assigned, the older ones are decided (high risk with four eyes).
	switch {
	case age < 3*24*time.Hour:
		return &id
	case age < 8*24*time.Hour:
		d.at(t0.Add(5*time.Hour), func(ctx context.Context) error { return d.assign(ctx, id, first) })
		return &id
	}
	d.at(t0.Add(26*time.Hour), func(ctx context.Context) error {
		cs, ok, err := d.openCase(ctx, id)
		if err != nil || !ok {
			return err
		}
		d.cases++
		if err := d.assign(ctx, id, first); err != nil {
			return err
		}
		hits, err := d.app.Cases.Hits(ctx, first, cs.ID)
		if err != nil {
			return err
		}
		for _, h := range hits {
			disp, reason := domain.DispositionFalsePositive, "Different date of birth and nationality from the list entry; documents checked."
			if demoTrueMatches[name] {
				disp, reason = domain.DispositionTrueMatch, "Name, date of birth and nationality match the OFAC entry."
			} else if data.Individual != nil && data.Individual.PEPDeclared {
				disp, reason = domain.DispositionTrueMatch, "The customer is the listed politically exposed person."
			}
			if _, err := d.app.Cases.DispositionHit(ctx, first, h.ID, app.DispositionInput{Disposition: disp, Reason: reason}); err != nil {
				return fmt.Errorf("disposition %s: %w", name, err)
			}
		}
		return nil
	})
	d.at(t0.Add(30*time.Hour), func(ctx context.Context) error {
		cs, ok, err := d.openCase(ctx, id)
		if err != nil || !ok {
			return err
		}
		cust, err := d.app.Customers.Get(ctx, first, id)
		if err != nil {
			return err
		}
		decision, reason, message := domain.DecisionApprove, "Identity verified; source of funds plausible for the stated occupation.", ""
		switch {
		case cust.RiskRating == domain.RiskProhibited:
			decision, reason = domain.DecisionReject, "Confirmed sanctions match: the relationship is refused and reported."
		case i%7 == 3:
			decision, reason = domain.DecisionRequestInfo, "The declared address could not be matched to the identity document; proof of address needed before deciding."
			message = "Please provide a recent utility bill as proof of address."
		}
		res, err := d.app.Cases.Decide(ctx, first, cs.ID, app.DecideInput{Decision: decision, Reason: reason, MessageToApplicant: message})
		if err != nil {
			// A rule said no (e.g. a confirmed match can never be approved):
			// leave the case open for a person to look at.
			if domain.ErrCode(err) == domain.ECodeConflict {
				return nil
			}
			return fmt.Errorf("decide %s: %w", name, err)
		}
		if !res.AwaitingSecondApproval || age < 12*24*time.Hour {
			return nil // the newest four-eyes cases still wait for the MLRO
		}
		d.clock.Set(t0.Add(50 * time.Hour))
		if _, err := d.app.Cases.Decide(ctx, mlro, cs.ID, app.DecideInput{Decision: decision, Reason: "Second approval: " + strings.ToLower(reason[:1]) + reason[1:]}); err != nil && domain.ErrCode(err) != domain.ECodeConflict {
			return fmt.Errorf("second approval %s: %w", name, err)
		}
		return nil
	})
	return &id
}

// openReviews counts the open periodic reviews, and those past their due
// date, at the end of the demo.
func (d *demo) openReviews(ctx context.Context) (open, overdue int, err error) {
	cs, _, err := d.app.Cases.List(ctx, domain.SystemActor("demo"), app.ListCasesInput{Kind: string(domain.CasePeriodicReview), Status: string(domain.CaseOpen), Limit: 200})
	if err != nil {
		return 0, 0, err
	}
	for _, c := range cs {
		open++
		if d.now.After(c.DueAt) {
			overdue++
		}
	}
	return open, overdue, nil
}

func (d *demo) openCase(ctx context.Context, customerID string) (domain.Case, bool, error) {
	if customerID == "" {
		return domain.Case{}, false, nil
	}
	cs, _, err := d.app.Cases.List(ctx, domain.SystemActor("demo"), app.ListCasesInput{CustomerID: customerID})
	if err != nil {
		return domain.Case{}, false, err
	}
	for _, c := range cs {
		if c.Status != domain.CaseClosed {
			return c, true, nil
		}
	}
	return domain.Case{}, false, nil
}

func (d *demo) assign(ctx context.Context, customerID string, who domain.Actor) error {
	cs, ok, err := d.openCase(ctx, customerID)
	if err != nil || !ok {
		return err
	}
	_, err = d.app.Cases.Assign(ctx, who, cs.ID, who.String())
	return err
}

// demoScan is a small PNG standing for a scanned document.
func demoScan() []byte {
	img := image.NewGray(image.Rect(0, 0, 8, 8))
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}
