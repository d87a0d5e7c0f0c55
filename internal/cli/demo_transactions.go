package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
)

// demoMonitoringSpan is how far back the demo's transaction histories
// reach: the dormant-account scenario needs a relationship older than the
// default rule's 180 days of dormancy, so the demo's clock starts at least
// this far back whatever --days says.
const demoMonitoringSpan = 200 * 24 * time.Hour

const day = 24 * time.Hour

// demoTx is one transaction of a scenario, ago before now.
type demoTx struct {
	ago      time.Duration
	amount   int64 // EUR cents
	dir      domain.TxDirection
	channel  domain.TxChannel
	cp       string
	cpType   domain.CounterpartyType
	cpCountr string
}

// demoScenario is a customer whose transactions raise one default rule
// (PRODUCT.md section 7), on top of an everyday history.
type demoScenario struct {
	rule     string
	person   demoPerson
	since    time.Duration // how long ago the relationship started
	everyday bool          // a salary and card payments each month
	salary   int64
	txs      []demoTx
	// work is what the staff did with the case by now.
	work string // "": left open; "false_positive"; "suspicious" (closed with four eyes, STR built when goAML is configured)
}

var demoScenarios = []demoScenario{
	{rule: "large_cash", work: "false_positive", everyday: true, salary: 420000, since: 100 * day,
		person: demoPerson{"Giulia", "Conti", "1983-05-19", "IT", "Florence", "50122", "Via de' Tornabuoni 4", "Jeweller", false, false, 1200000},
		txs:    []demoTx{{ago: 6 * day, amount: 1450000, dir: domain.TxIn, channel: domain.TxCash, cp: "Conti Gioielli Srl", cpType: domain.CounterpartyOrganization, cpCountr: "IT"}}},
	{rule: "structuring", work: "suspicious", everyday: true, salary: 380000, since: 100 * day,
		person: demoPerson{"Marek", "Wiśniewski", "1979-09-02", "PL", "Poznań", "61-001", "ul. Półwiejska 3", "Used-car dealer", false, false, 1500000},
		txs: []demoTx{
			{ago: 9 * day, amount: 920000, dir: domain.TxIn, channel: domain.TxCash, cp: "Cash deposit, branch Poznań", cpCountr: "PL"},
			{ago: 7 * day, amount: 965000, dir: domain.TxIn, channel: domain.TxCash, cp: "Cash deposit, branch Poznań", cpCountr: "PL"},
			{ago: 5 * day, amount: 940000, dir: domain.TxIn, channel: domain.TxCash, cp: "Cash deposit, branch Gniezno", cpCountr: "PL"},
		}},
	{rule: "velocity", everyday: true, salary: 180000, since: 100 * day,
		person: demoPerson{"Sven", "Olsen", "1990-02-11", "SE", "Gothenburg", "41101", "Kungsportsavenyen 8", "Warehouse worker", false, false, 200000},
		txs:    []demoTx{{ago: 4 * day, amount: 550000, dir: domain.TxIn, channel: domain.TxWire, cp: "Nordic Coin Exchange AB", cpType: domain.CounterpartyOrganization, cpCountr: "SE"}}},
	{rule: "high_risk_country", everyday: true, salary: 510000, since: 100 * day,
		person: demoPerson{"Farid", "Rahimi", "1981-03-21", "DE", "Hamburg", "20095", "Spitalerstraße 9", "Import merchant", false, false, 1000000},
		txs:    []demoTx{{ago: 3 * day, amount: 420000, dir: domain.TxOut, channel: domain.TxWire, cp: "Pars Carpet Trading Co", cpType: domain.CounterpartyOrganization, cpCountr: "IR"}}},
	{rule: "counterparty_screening_hit", everyday: true, salary: 460000, since: 100 * day,
		person: demoPerson{"Peter", "Hansen", "1974-10-30", "DK", "Aarhus", "8000", "Strøget 21", "Yacht broker", false, false, 1000000},
		txs:    []demoTx{{ago: 2 * day, amount: 250000, dir: domain.TxOut, channel: domain.TxWire, cp: "Arkady Rotenberg", cpType: domain.CounterpartyPerson, cpCountr: "RU"}}},
	{rule: "rapid_movement", everyday: true, salary: 350000, since: 100 * day,
		person: demoPerson{"Nadia", "Ivanova", "1986-12-05", "BG", "Varna", "9000", "Knyaz Boris I 15", "Consultant", false, false, 3000000},
		txs: []demoTx{
			{ago: 12*day + 14*time.Hour, amount: 2500000, dir: domain.TxIn, channel: domain.TxWire, cp: "Baltic Holdings Ltd", cpType: domain.CounterpartyOrganization, cpCountr: "LV"},
			{ago: 11*day + 10*time.Hour, amount: 2350000, dir: domain.TxOut, channel: domain.TxWire, cp: "Eastgate General Trading FZE", cpType: domain.CounterpartyOrganization, cpCountr: "AE"},
		}},
	{rule: "dormant_account", since: demoMonitoringSpan - day,
		person: demoPerson{"Walter", "Braun", "1949-07-14", "AT", "Graz", "8010", "Herrengasse 16", "Retired", false, false, 250000},
		txs: []demoTx{
			{ago: demoMonitoringSpan - 2*day, amount: 30000, dir: domain.TxIn, channel: domain.TxWire, cp: "Pensionsversicherungsanstalt", cpType: domain.CounterpartyOrganization, cpCountr: "AT"},
			{ago: 8 * day, amount: 740000, dir: domain.TxIn, channel: domain.TxWire, cp: "Notariat Dr. Huber", cpType: domain.CounterpartyOrganization, cpCountr: "AT"},
		}},
}

// everydayTxs is a month-by-month ordinary history: a salary on the
// first working day, then card payments and a rent transfer days later (no
// rule fires on it).
func everydayTxs(s demoScenario) []demoTx {
	var out []demoTx
	employer := s.person.occupation + " payroll"
	for m := s.since - 5*day; m > 15*day; m -= 30 * day {
		out = append(out,
			demoTx{ago: m, amount: s.salary, dir: domain.TxIn, channel: domain.TxWire, cp: employer, cpType: domain.CounterpartyOrganization, cpCountr: s.person.nat},
			demoTx{ago: m - 4*day, amount: s.salary * 35 / 100, dir: domain.TxOut, channel: domain.TxWire, cp: "Hausverwaltung Miete", cpType: domain.CounterpartyOrganization, cpCountr: s.person.nat},
			demoTx{ago: m - 9*day, amount: 8450 + m.Milliseconds()%5000, dir: domain.TxOut, channel: domain.TxCard, cp: "Supermarket", cpType: domain.CounterpartyOrganization, cpCountr: s.person.nat},
			demoTx{ago: m - 16*day, amount: 12990, dir: domain.TxOut, channel: domain.TxCard, cp: "Online bookshop", cpType: domain.CounterpartyOrganization, cpCountr: "LU"},
		)
	}
	return out
}

// planTransactions schedules the monitoring scenarios: each customer is
// onboarded when its relationship starts, its transactions are reported as
// they happen (by the bank's core system, through the same ingestion as
// the API) and raise the alerts of the default rules; then staff work on
// some of the alert cases.
func (d *demo) planTransactions() {
	core := domain.SystemActor("demo-core-banking")
	for i, s := range demoScenarios {
		s := s
		var id string
		t0 := d.now.Add(-s.since)
		data := domain.CustomerData{FaceToFace: !s.person.remote, Individual: s.person.individual(100 + i)}
		d.at(t0, func(ctx context.Context) error {
			c, err := d.app.Customers.Create(ctx, domain.SystemActor("demo-client"), app.CreateCustomerInput{Type: domain.CustomerIndividual, Data: data, ExternalRef: fmt.Sprintf("CRM-%05d", 20100+i)})
			if err != nil {
				return fmt.Errorf("create %s: %w", s.person.family, err)
			}
			id = c.ID
			d.customers++
			if _, err := d.app.Customers.Submit(ctx, domain.SystemActor("demo-client"), id); err != nil {
				return err
			}
			_, err = d.queue.RunAll(ctx, d.app.Checks)
			return err
		})
		txs := s.txs
		if s.everyday {
			txs = append(everydayTxs(s), txs...)
		}
		for k, tx := range txs {
			at := d.now.Add(-tx.ago)
			ext := fmt.Sprintf("CORE-%d-%04d", 20100+i, k)
			d.at(at, func(ctx context.Context) error {
				res, err := d.app.Transactions.Create(ctx, core, app.TransactionInput{
					ExternalID: ext, CustomerID: id, Amount: tx.amount, Currency: "EUR", Direction: tx.dir, Channel: tx.channel,
					Counterparty: domain.Counterparty{Name: tx.cp, Country: tx.cpCountr, Type: tx.cpType}, OccurredAt: at,
				})
				if err != nil {
					return fmt.Errorf("transaction %s of %s: %w", ext, s.person.family, err)
				}
				d.alerts += len(res.Alerts)
				return nil
			})
		}
		if s.work != "" {
			d.at(d.now.Add(-20*time.Hour), func(ctx context.Context) error { return d.workAlertCase(ctx, id, s) })
		}
	}
}

// workAlertCase gives the scenario's alert case its verdicts and closes it:
// as not suspicious at once, or as suspicious by an analyst and an MLRO
// (four eyes), with an STR built when a reporting entity is configured.
func (d *demo) workAlertCase(ctx context.Context, customerID string, s demoScenario) error {
	analyst, mlro := d.users[app.RoleAnalyst], d.users[app.RoleMLRO]
	alerts, _, err := d.app.Alerts.List(ctx, analyst, app.ListAlertsInput{CustomerID: customerID, Rule: s.rule})
	if err != nil || len(alerts) == 0 {
		return fmt.Errorf("%s: no %s alert to work on (%v)", s.person.family, s.rule, err)
	}
	caseID := alerts[0].CaseID
	if _, err := d.app.Cases.Assign(ctx, analyst, caseID, analyst.String()); err != nil {
		return err
	}
	status, reason := domain.AlertFalsePositive, "Documented proceeds of the customer's jewellery business; invoices on file."
	outcome := app.OutcomeNotSuspicious
	if s.work == "suspicious" {
		status, reason = domain.AlertSuspicious, "Three cash deposits just below the threshold within a week; no business reason given."
		outcome = app.OutcomeSuspicious
	}
	for _, a := range alerts {
		if _, err := d.app.Alerts.Disposition(ctx, analyst, a.ID, app.AlertDispositionInput{Status: status, Reason: reason}); err != nil {
			return fmt.Errorf("%s: disposition: %w", s.person.family, err)
		}
	}
	if _, err := d.app.Alerts.CloseCase(ctx, analyst, caseID, app.CloseAlertCaseInput{Outcome: outcome, Reason: reason}); err != nil {
		return fmt.Errorf("%s: close: %w", s.person.family, err)
	}
	d.cases++
	if outcome != app.OutcomeSuspicious {
		return nil
	}
	d.clock.Set(d.clock.Peek().Add(3 * time.Hour))
	if _, err := d.app.Alerts.CloseCase(ctx, mlro, caseID, app.CloseAlertCaseInput{Outcome: outcome, Reason: "Agreed: suspicious, to be reported to the FIU."}); err != nil {
		return fmt.Errorf("%s: second approval: %w", s.person.family, err)
	}
	if d.sys.cfg.Monitoring.GoAML.RentityID == "" {
		return nil // no reporting entity configured: no STR can be built
	}
	_, err = d.app.Reports.Create(ctx, analyst, caseID, app.CreateReportInput{Type: domain.ReportSTR})
	return err
}
