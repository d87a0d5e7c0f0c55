package sandbox_test

import (
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/verify"
	"github.com/kyc-platform/kyc/internal/verify/sandbox"
	"github.com/kyc-platform/kyc/internal/webhook"
)

func person(given, family, number string) domain.Person {
	return domain.Person{GivenNames: given, FamilyName: family, Document: &domain.IdentityDocument{Number: number}}
}

// The sandbox's outcomes are chosen by test values, as the README lists
// them, so that integrators can reach every branch.
func TestDecide(t *testing.T) {
	t.Parallel()
	ind := func(p domain.Person) *domain.Customer {
		return &domain.Customer{Data: domain.CustomerData{Individual: &p}}
	}
	biz := func(ps ...domain.Person) *domain.Customer {
		b := &domain.Business{}
		for _, p := range ps {
			b.RelatedPersons = append(b.RelatedPersons, domain.RelatedPerson{Person: p})
		}
		return &domain.Customer{Data: domain.CustomerData{Business: b}}
	}
	for _, tc := range []struct {
		name string
		c    *domain.Customer
		want domain.CheckStatus
	}{
		{"ends in 0001: failed", ind(person("Anna", "Eriksson", "AB1230001")), domain.CheckFailed},
		{"ends in 0002: needs review", ind(person("Anna", "Eriksson", "AB1230002")), domain.CheckNeedsReview},
		{"Sandbox Timeout: never answers", ind(person("Sandbox", "Timeout", "AB1234567")), ""},
		{"anything else: passed", ind(person("Anna", "Eriksson", "AB1234567")), domain.CheckPassed},
		{"business: the worst person wins", biz(person("A", "B", "X0002"), person("C", "D", "X0001")), domain.CheckFailed},
		{"business: review over passed", biz(person("A", "B", "X9999"), person("C", "D", "X0002")), domain.CheckNeedsReview},
	} {
		if got := sandbox.Decide(tc.c).Status; got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// For a business the sandbox answers one result per related person
// (PRODUCT.md section 5: every ubo and control person is verified, one
// result per person), by each person's test values.
func TestDecidePerPerson(t *testing.T) {
	t.Parallel()
	b := &domain.Business{RelatedPersons: []domain.RelatedPerson{
		{ID: "rp1", Person: person("A", "B", "X9999")},
		{ID: "hold", Kind: domain.PartyCompany, LegalName: "Holding Ltd"},
		{ID: "rp2", Person: person("C", "D", "X0002")},
		{ID: "rp3", Person: person("E", "F", "X0001")},
	}}
	o := sandbox.Decide(&domain.Customer{Data: domain.CustomerData{Business: b}})
	want := []verify.PersonResult{
		{ID: "rp1", Status: domain.CheckPassed, Summary: "Sandbox: identity verified."},
		{ID: "rp2", Status: domain.CheckNeedsReview, Summary: "Sandbox: the document needs a person to look at it."},
		{ID: "rp3", Status: domain.CheckFailed, Summary: "Sandbox: the document was rejected."},
	}
	if o.Status != domain.CheckFailed || len(o.Persons) != len(want) {
		t.Fatalf("outcome %+v", o)
	}
	for i := range want {
		if o.Persons[i] != want[i] {
			t.Errorf("person %d: %+v, want %+v", i, o.Persons[i], want[i])
		}
	}
}

// Callbacks are authenticated by their signature and timestamp.
func TestVerifyCallback(t *testing.T) {
	t.Parallel()
	p, err := sandbox.New(sandbox.Options{CallbackURL: "http://127.0.0.1:1/cb"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	body := []byte(`{"check_id":"chk_1","reference":"sbx_1","tenant":"acme","status":"passed","summary":"ok","details":{"rule":"default"}}`)
	sign := func(s webhook.Secret, ts time.Time, b []byte) verify.Callback {
		h := http.Header{}
		if err := webhook.SetHeaders(h, []webhook.Secret{s}, "evt_1", ts, b); err != nil {
			t.Fatal(err)
		}
		return verify.Callback{ID: h.Get(webhook.HeaderID), Timestamp: h.Get(webhook.HeaderTimestamp), Signature: h.Get(webhook.HeaderSignature), Body: b}
	}
	res, err := p.VerifyCallback(sign(p.Secret(), now, body), now)
	if err != nil || res.CheckID != "chk_1" || res.Reference != "sbx_1" || res.Tenant != "acme" || res.Status != domain.CheckPassed || res.EventID != "evt_1" || res.Details == nil {
		t.Fatalf("%+v %v", res, err)
	}
	other, _ := webhook.GenerateSecret()
	for name, tc := range map[string]struct {
		cb   verify.Callback
		want error
	}{
		"other secret":  {sign(other, now, body), verify.ErrCallbackSignature},
		"stale":         {sign(p.Secret(), now.Add(-5*time.Minute-time.Second), body), verify.ErrCallbackStale},
		"future":        {sign(p.Secret(), now.Add(5*time.Minute+time.Second), body), verify.ErrCallbackStale},
		"no signature":  {verify.Callback{ID: "evt_1", Timestamp: strconv.FormatInt(now.Unix(), 10), Body: body}, verify.ErrCallbackSignature},
		"no timestamp":  {verify.Callback{ID: "evt_1", Signature: "v1,AAAA", Body: body}, verify.ErrCallbackStale},
		"unknown field": {sign(p.Secret(), now, []byte(`{"check_id":"c","verdict":"ok"}`)), verify.ErrCallbackMalformed},
		"not json":      {sign(p.Secret(), now, []byte(`check_id=c`)), verify.ErrCallbackMalformed},
		"tampered body": {func() verify.Callback {
			cb := sign(p.Secret(), now, body)
			cb.Body = []byte(`{"check_id":"chk_2"}`)
			return cb
		}(), verify.ErrCallbackSignature},
	} {
		if _, err := p.VerifyCallback(tc.cb, now); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", name, err, tc.want)
		}
	}
	// Within the window at its edge.
	if _, err := p.VerifyCallback(sign(p.Secret(), now.Add(-5*time.Minute+time.Second), body), now); err != nil {
		t.Fatalf("4m59s old: %v", err)
	}
	if _, err := sandbox.New(sandbox.Options{}); err == nil {
		t.Fatal("a sandbox without a callback URL was built")
	}
	if _, err := sandbox.New(sandbox.Options{CallbackURL: "http://x/cb", Secret: "whsec_short"}); err == nil {
		t.Fatal("a short secret was accepted")
	}
}
