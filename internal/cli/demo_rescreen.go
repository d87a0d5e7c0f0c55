package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/kyc-platform/kyc/internal/app"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/screening/lists"
)

// demoDesignation is a fictitious OpenSanctions edition published near the
// end of the demo's history: it designates an approved demo individual
// (fictitious like every demo person) and a company no one
// deals with, so that the re-screening of the book opens a list_update
// case while that customer stays approved until someone decides it.
func demoDesignation(p *domain.Person) []lists.File {
	line := func(v map[string]any) []byte {
		b, _ := json.Marshal(v)
		return append(b, '\n')
	}
	var b bytes.Buffer
	b.Write(line(map[string]any{"id": "demo-1", "schema": "Person", "caption": p.GivenNames + " " + strings.ToUpper(p.FamilyName),
		"properties": map[string][]string{"name": {p.GivenNames + " " + strings.ToUpper(p.FamilyName)}, "birthDate": {p.BirthDate},
			"nationality": {strings.ToLower(p.Nationality)}, "topics": {"sanction"}}, "datasets": []string{"demo"}}))
	b.Write(line(map[string]any{"id": "demo-2", "schema": "Organization", "caption": "Zagros Maritime Trading Company",
		"properties": map[string][]string{"name": {"Zagros Maritime Trading Company"}, "topics": {"sanction"}}, "datasets": []string{"demo"}}))
	return []lists.File{{Name: "demo-designations.ftm.json", R: bytes.NewReader(b.Bytes())}}
}

// planListUpdate schedules the list update and the re-screening it
// starts, a day and a half before today.
func (d *demo) planListUpdate() {
	d.at(d.now.Add(-36*time.Hour), func(ctx context.Context) error {
		op := domain.SystemActor("list-sync")
		var who *domain.Person
		for cursor := ""; who == nil; {
			page, next, err := d.app.Customers.List(ctx, op, app.ListCustomersInput{Status: string(domain.StatusApproved), Type: string(domain.CustomerIndividual), Cursor: cursor, Limit: 100})
			if err != nil {
				return err
			}
			if len(page) > 0 {
				who = page[len(page)-1].Data.Individual // the oldest of the page
			}
			if next == "" {
				break
			}
			cursor = next
		}
		if who == nil {
			return nil // no approved individual in so short a history
		}
		res, err := d.app.Screening.Import(ctx, op, lists.SourceOpenSanctions, demoDesignation(who), false)
		if err != nil {
			return fmt.Errorf("demo list update: %w", err)
		}
		if err := d.app.Rescreening.RunAll(ctx); err != nil {
			return fmt.Errorf("demo re-screening: %w", err)
		}
		run, err := d.app.Rescreening.Run(ctx, res.RescreenRun)
		if err != nil {
			return err
		}
		d.rescreen = run
		return nil
	})
}

// listUpdateSummary is the demo's closing line about the list update.
func (d *demo) listUpdateSummary() string {
	r := d.rescreen
	if r.ID == "" {
		return ""
	}
	return fmt.Sprintf("List update: %d new designation(s) re-screened against %d active customers: %d hit(s), %d list_update case(s) (the customers stay approved until someone decides).\n",
		r.Delta, r.Customers, r.Hits, r.Cases)
}
