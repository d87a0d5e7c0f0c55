package kyctest

import (
	"testing"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
)

// Individual returns the data of a valid individual who passes every
// check at low risk (with a list loaded): Anna Maria Eriksson of
// Stockholm, met face to face. Each call returns a fresh value to change.
func Individual() domain.CustomerData {
	return domain.CustomerData{FaceToFace: true, Individual: &domain.Person{
		GivenNames: "Anna Maria", FamilyName: "Eriksson", BirthDate: "1990-08-12", Nationality: "SE",
		PlaceOfBirth: &domain.PlaceOfBirth{City: "Uppsala", Country: "SE"},
		Email:        "anna.eriksson@example.com", Phone: "+46701234567",
		Address:    &domain.Address{Line1: "Storgatan 1", City: "Stockholm", PostalCode: "11122", Country: "SE"},
		Occupation: "Teacher", ExpectedMonthlyVolume: &domain.Money{Amount: 300000, Currency: "EUR"},
		SourceOfFunds: "Salary",
		Document:      &domain.IdentityDocument{Type: domain.DocIDCard, Number: "AB1234567", IssuingCountry: "SE", ExpiryDate: "2030-01-01"},
	}}
}

// PEP returns Individual() declared a politically exposed person: high
// risk, enhanced due diligence, and a case whose approval needs four eyes.
func PEP() domain.CustomerData {
	d := Individual()
	d.Individual.PEPDeclared = true
	return d
}

// Sanctioned returns an individual matching entry 35025 of the OFAC SDN
// fixture (Andrey Georgiyevich Zakharov, born 8 January 1969, Russian):
// screening raises a hit on it once the fixture is imported.
func Sanctioned() domain.CustomerData {
	d := Individual()
	p := d.Individual
	p.GivenNames, p.FamilyName, p.BirthDate, p.Nationality = "Andrey Georgiyevich", "Zakharov", "1969-01-08", "RU"
	p.Email, p.Phone = "andrey.zakharov@example.com", "+74951234567"
	p.Address = &domain.Address{Line1: "Tverskaya 1", City: "Moscow", PostalCode: "125009", Country: "RU"}
	return d
}

// BusinessData returns the data of a valid business: Nordic Widgets AB of
// Stockholm with one beneficial owner who is also its director.
func BusinessData() domain.CustomerData {
	return domain.CustomerData{Business: &domain.Business{
		LegalName: "Nordic Widgets AB", RegistrationNumber: "556677-8899", IncorporationCountry: "SE",
		IncorporationDate: "2010-05-01", LegalForm: "AB", Industry: "62.01",
		Address: &domain.Address{Line1: "Kungsgatan 5", City: "Stockholm", PostalCode: "11143", Country: "SE"},
		Email:   "info@nordicwidgets.example", ExpectedMonthlyVolume: &domain.Money{Amount: 5000000, Currency: "SEK"},
		SourceOfFunds: "Trading revenue",
		RelatedPersons: []domain.RelatedPerson{{
			Roles: []domain.RelatedRole{domain.RoleUBO, domain.RoleDirector}, OwnershipPercent: 60,
			Person: domain.Person{GivenNames: "Lars", FamilyName: "Nilsson", BirthDate: "1975-03-04", Nationality: "SE",
				Address:  &domain.Address{Line1: "Drottninggatan 2", City: "Stockholm", PostalCode: "11151", Country: "SE"},
				Document: &domain.IdentityDocument{Type: domain.DocIDCard, Number: "CD7654321", IssuingCountry: "SE", ExpiryDate: "2031-01-01"}},
		}},
	}}
}

// CustomerOpts overrides the defaults of the customer factories; a nil
// *CustomerOpts takes every default.
type CustomerOpts struct {
	// Actor creates and submits the customer (zero: Client).
	Actor domain.Actor
	// Data is the customer's data (nil: Individual(), or BusinessData()
	// for Business). The type follows the data.
	Data *domain.CustomerData
	// ExternalRef is the integrator's reference (default none).
	ExternalRef string
	// Evidence uploads a source-of-funds and a source-of-wealth document
	// to the draft, the evidence enhanced due diligence is approved with.
	Evidence bool
}

func (o *CustomerOpts) actor() domain.Actor {
	if o == nil || o.Actor.ID == "" {
		return Client
	}
	return o.Actor
}

// Customer creates a draft customer through the application and returns
// it: Individual() by Client unless opts say otherwise.
func Customer(t testing.TB, b *Bundle, opts *CustomerOpts) *domain.Customer {
	t.Helper()
	data := Individual()
	if opts != nil && opts.Data != nil {
		data = *opts.Data
	}
	return create(t, b, opts, data)
}

// Business creates a draft business customer: BusinessData() by Client
// unless opts say otherwise.
func Business(t testing.TB, b *Bundle, opts *CustomerOpts) *domain.Customer {
	t.Helper()
	data := BusinessData()
	if opts != nil && opts.Data != nil {
		data = *opts.Data
	}
	return create(t, b, opts, data)
}

func create(t testing.TB, b *Bundle, opts *CustomerOpts, data domain.CustomerData) *domain.Customer {
	t.Helper()
	typ := domain.CustomerIndividual
	if data.Business != nil {
		typ = domain.CustomerBusiness
	}
	in := app.CreateCustomerInput{Type: typ, Data: data}
	if opts != nil {
		in.ExternalRef = opts.ExternalRef
	}
	c, err := b.App.Customers.Create(b.Ctx, opts.actor(), in)
	if err != nil {
		t.Fatalf("kyctest: create customer: %v", err)
	}
	if opts != nil && opts.Evidence {
		Evidence(t, b, opts.actor(), c.ID)
	}
	return c
}

// Evidence uploads, as actor, a source-of-funds and a source-of-wealth
// document to an editable customer (draft or info_requested): the
// evidence enhanced due diligence needs before approval.
func Evidence(t testing.TB, b *Bundle, actor domain.Actor, customerID string) {
	t.Helper()
	for _, kind := range []string{"source_of_funds", "source_of_wealth"} {
		if _, err := b.App.Documents.UploadDocument(b.Ctx, actor, app.UploadInput{CustomerID: customerID, Kind: kind, Content: PNG()}); err != nil {
			t.Fatalf("kyctest: upload %s: %v", kind, err)
		}
	}
}

// SubmittedCustomer creates a customer (see Customer), submits it and
// runs its checks, and returns it as the decision policy left it: approved,
// or in review with an open case.
func SubmittedCustomer(t testing.TB, b *Bundle, opts *CustomerOpts) *domain.Customer {
	t.Helper()
	c := Customer(t, b, opts)
	return SubmitAndRun(t, b, opts.actor(), c.ID)
}

// SubmitAndRun submits an existing customer as actor, runs the three
// checks the submission enqueues (failing the test if it enqueued another
// number) and returns the customer as the decision policy left it.
func SubmitAndRun(t testing.TB, b *Bundle, actor domain.Actor, id string) *domain.Customer {
	t.Helper()
	if _, err := b.App.Customers.Submit(b.Ctx, actor, id); err != nil {
		t.Fatalf("kyctest: submit: %v", err)
	}
	if n := b.RunChecks(); n != 3 {
		t.Fatalf("kyctest: want 3 checks enqueued, got %d", n)
	}
	c, err := b.App.Customers.Get(b.Ctx, actor, id)
	if err != nil {
		t.Fatalf("kyctest: get customer: %v", err)
	}
	return c
}

// OpenCase returns the one case of the customer, failing the test when it
// has none or several.
func OpenCase(t testing.TB, b *Bundle, customerID string) domain.Case {
	t.Helper()
	cs, _, err := b.App.Cases.List(b.Ctx, Operator, app.ListCasesInput{CustomerID: customerID})
	if err != nil || len(cs) != 1 {
		t.Fatalf("kyctest: want one case of %s, got %d (%v)", customerID, len(cs), err)
	}
	return cs[0]
}

// CaseOpts overrides the defaults of Case; a nil *CaseOpts takes every
// default.
type CaseOpts struct {
	// Customer is the customer to onboard (default: PEP() by Client, with
	// the source-of-funds and source-of-wealth evidence enhanced due
	// diligence needs, whose case needs four eyes to approve, the second
	// by a staff MLRO).
	Customer *CustomerOpts
}

// Case onboards a customer who goes to review (see CaseOpts) and returns
// its open case.
func Case(t testing.TB, b *Bundle, opts *CaseOpts) domain.Case {
	t.Helper()
	co := &CustomerOpts{}
	if opts != nil && opts.Customer != nil {
		co = opts.Customer
	}
	if co.Data == nil {
		d := PEP()
		co = &CustomerOpts{Actor: co.Actor, Data: &d, ExternalRef: co.ExternalRef, Evidence: true}
	}
	c := SubmittedCustomer(t, b, co)
	if c.Status != domain.StatusInReview {
		t.Fatalf("kyctest: the customer is %s, not in review", c.Status)
	}
	return OpenCase(t, b, c.ID)
}

// HitOpts overrides the defaults of Hit; a nil *HitOpts takes every
// default.
type HitOpts struct {
	// Customer is the customer to onboard (default: Sanctioned() by
	// Client); its name must match an entry of the OFAC fixture.
	Customer *CustomerOpts
}

// Hit imports the OFAC fixture (once per bundle), onboards a customer
// whose name is on it (see HitOpts) and returns the screening-hit case
// and its first hit.
func Hit(t testing.TB, b *Bundle, opts *HitOpts) (domain.Case, domain.ScreeningHit) {
	t.Helper()
	b.ImportOFAC()
	co := &CustomerOpts{}
	if opts != nil && opts.Customer != nil {
		co = opts.Customer
	}
	if co.Data == nil {
		d := Sanctioned()
		co = &CustomerOpts{Actor: co.Actor, Data: &d, ExternalRef: co.ExternalRef, Evidence: true}
	}
	cs := Case(t, b, &CaseOpts{Customer: co})
	if cs.Kind != domain.CaseScreeningHit {
		t.Fatalf("kyctest: case kind %s, want %s", cs.Kind, domain.CaseScreeningHit)
	}
	hits, err := b.App.Cases.Hits(b.Ctx, co.actor(), cs.ID)
	if err != nil || len(hits) == 0 {
		t.Fatalf("kyctest: hits of %s: %d (%v)", cs.ID, len(hits), err)
	}
	return cs, hits[0]
}

// StaffUserOpts overrides the defaults of StaffUser.
type StaffUserOpts struct {
	// Role is the staff role (default app.RoleAnalyst).
	Role string
	// Email is the sign-in address (default "<role>@bank.example").
	Email string
	// Password is the password (default "correct horse battery staple"; a
	// password holding the e-mail name would be refused as weak).
	Password string
	// Enrol signs the user in once and enrols an authenticator app, so
	// that sign-in asks for a code (Secret); it moves the test clock.
	Enrol bool
}

// StaffCred is a staff user created by StaffUser, with what signs it in.
type StaffCred struct {
	Email, Password string
	// Secret is the TOTP secret of an enrolled user ("" otherwise).
	Secret string
	User   app.User
}

// Actor returns the user's actor.
func (c StaffCred) Actor() domain.Actor { return c.User.Actor() }

// StaffUser creates a staff user through the application (by Operator)
// with a password that needs no change, enrolled in TOTP when asked.
func StaffUser(t testing.TB, b *Bundle, opts *StaffUserOpts) StaffCred {
	t.Helper()
	var o StaffUserOpts
	if opts != nil {
		o = *opts
	}
	if o.Role == "" {
		o.Role = app.RoleAnalyst
	}
	if o.Email == "" {
		o.Email = o.Role + "@bank.example"
	}
	if o.Password == "" {
		o.Password = "correct horse battery staple"
	}
	nu, err := b.App.Users.Create(b.Ctx, Operator, app.CreateUserInput{Email: o.Email, Role: o.Role, Password: o.Password})
	if err != nil {
		t.Fatalf("kyctest: create staff user: %v", err)
	}
	c := StaffCred{Email: o.Email, Password: o.Password, User: nu.User}
	if !o.Enrol {
		return c
	}
	s, err := b.App.Users.SignIn(b.Ctx, c.Email, c.Password)
	if err != nil {
		t.Fatalf("kyctest: sign in %s: %v", c.Email, err)
	}
	enr, err := b.App.Users.BeginEnrolment(b.Ctx, s.Token)
	if err != nil {
		t.Fatalf("kyctest: begin enrolment: %v", err)
	}
	c.Secret = enr.Secret
	if _, err := b.App.Users.ConfirmEnrolment(b.Ctx, s.Token, b.NextTOTP(c.Secret)); err != nil {
		t.Fatalf("kyctest: confirm enrolment: %v", err)
	}
	return c
}
