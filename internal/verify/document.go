package verify

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
)

// DocumentProviderName is the name of the built-in document provider.
const DocumentProviderName = "document"

// DocumentOptions configure the document provider.
type DocumentOptions struct {
	// MinAge is the minimum age of an individual customer (0 means
	// domain.DefaultMinAge).
	MinAge int
}

// Document is the built-in provider: synchronous checks of the identity
// document data the customer typed (expiry, age, MRZ check digits, MRZ
// against the form, document-number format where known). It sees no image,
// so it proves consistency, not possession.
type Document struct {
	opts DocumentOptions
}

var _ Provider = (*Document)(nil)

// NewDocument returns the document provider.
func NewDocument(opts DocumentOptions) *Document {
	if opts.MinAge <= 0 {
		opts.MinAge = domain.DefaultMinAge
	}
	return &Document{opts: opts}
}

// Name returns "document".
func (d *Document) Name() string { return DocumentProviderName }

// DocumentRegistration registers the document provider (synchronous).
var DocumentRegistration = Registration{
	Name: DocumentProviderName,
	New: func(cfg Config) (Provider, error) {
		return NewDocument(DocumentOptions{MinAge: cfg.MinAge}), nil
	},
}

// Check names of the document provider.
const (
	CheckDocumentPresent = "document_present"
	CheckDocumentExpiry  = "document_expiry"
	CheckAge             = "age"
	CheckMRZ             = "mrz"
	CheckMRZConsistency  = "mrz_consistency"
	CheckNumberFormat    = "document_number_format"
	CheckRegistration    = "registration_number"
	CheckIncorporation   = "incorporation_date"
)

// SubCheck is the outcome of one check on one subject.
type SubCheck struct {
	Name    string             `json:"name"`
	Status  domain.CheckStatus `json:"status"`
	Message string             `json:"message"` // no personal data
	// Fields names the mismatching form fields of an MRZ comparison.
	Fields []string `json:"fields,omitempty"`
}

// Subject groups the checks of one person or of the company.
type Subject struct {
	// Subject is "customer", "company" or "related_persons[i]".
	Subject string `json:"subject"`
	// PartyID is the related party's id for "related_persons[i]".
	PartyID string             `json:"party_id,omitempty"`
	Status  domain.CheckStatus `json:"status"`
	Checks  []SubCheck         `json:"checks"`
	// MRZ is the parsed zone when one was given and valid.
	MRZ *domain.MRZ `json:"mrz,omitempty"`
}

// DocumentDetails is the Details of a document provider Result.
type DocumentDetails struct {
	Subjects []Subject `json:"subjects"`
	// Persons has one result per related person verified (a business's
	// beneficial owners and control persons, and anyone else who gave a
	// document).
	Persons []PersonResult `json:"persons,omitempty"`
}

// Verify runs the checks. Problems are reported in the Result; the error is
// always nil except for a cancelled context or a customer without data.
func (d *Document) Verify(ctx context.Context, req Request) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	c, now := req.Customer, req.Now
	if c == nil {
		return Result{}, domain.Errorf(domain.ECodeInvalid, "No customer to verify.")
	}
	var det DocumentDetails
	switch {
	case c.Type == domain.CustomerIndividual && c.Data.Individual != nil:
		det.Subjects = append(det.Subjects, d.person("customer", *c.Data.Individual, now, true))
	case c.Type == domain.CustomerBusiness && c.Data.Business != nil:
		b := c.Data.Business
		det.Subjects = append(det.Subjects, company(*b, now))
		required := map[int]bool{}
		for _, i := range b.ToVerify() {
			required[i] = true
		}
		for i, rp := range b.RelatedPersons {
			if rp.IsCompany() || (rp.Document == nil && !required[i]) {
				// Every beneficial owner and control person is verified;
				// anyone else when they gave a document.
				continue
			}
			s := d.person(fmt.Sprintf("related_persons[%d]", i), rp.Person, now, false)
			s.PartyID = rp.ID
			det.Subjects = append(det.Subjects, s)
			det.Persons = append(det.Persons, PersonResult{ID: rp.ID, Status: s.Status, Summary: s.summary()})
		}
	default:
		return Result{}, domain.Errorf(domain.ECodeInvalid, "The customer has no data of its type to verify.")
	}
	status := domain.CheckPassed
	var problems []string
	for _, s := range det.Subjects {
		status = worse(status, s.Status)
		for _, ch := range s.Checks {
			if ch.Status != domain.CheckPassed {
				p := ch.Message
				if s.Subject != "customer" {
					p = s.Subject + ": " + p
				}
				problems = append(problems, p)
			}
		}
	}
	summary := "Document checks passed"
	if len(problems) > 0 {
		summary = strings.Join(problems, "; ")
	}
	return Result{Status: status, Summary: summary, Details: det}, nil
}

// worse returns the more severe of two statuses: failed > needs_review > passed.
func worse(a, b domain.CheckStatus) domain.CheckStatus {
	rank := func(s domain.CheckStatus) int {
		switch s {
		case domain.CheckFailed:
			return 2
		case domain.CheckNeedsReview:
			return 1
		}
		return 0
	}
	if rank(b) > rank(a) {
		return b
	}
	return a
}

// summary is the subject's problems in a sentence, or that the checks
// passed.
func (s *Subject) summary() string {
	var problems []string
	for _, ch := range s.Checks {
		if ch.Status != domain.CheckPassed {
			problems = append(problems, ch.Message)
		}
	}
	if len(problems) == 0 {
		return "Document checks passed"
	}
	return strings.Join(problems, "; ")
}

func (s *Subject) add(name string, status domain.CheckStatus, msg string) {
	s.Checks = append(s.Checks, SubCheck{Name: name, Status: status, Message: msg})
	s.Status = worse(s.Status, status)
}

func (d *Document) person(subject string, p domain.Person, now time.Time, customer bool) Subject {
	s := Subject{Subject: subject, Status: domain.CheckPassed}
	today := now.UTC().Format(domain.DateLayout)
	if birth, err := domain.ParseDate(p.BirthDate); err != nil {
		s.add(CheckAge, domain.CheckNeedsReview, "Date of birth missing or invalid")
	} else if age := domain.Age(birth, now); customer && age < d.opts.MinAge {
		s.add(CheckAge, domain.CheckFailed, fmt.Sprintf("Under the minimum age of %d", d.opts.MinAge))
	} else if age > domain.MaxAge || p.BirthDate > today {
		s.add(CheckAge, domain.CheckFailed, "Date of birth not plausible")
	} else {
		s.add(CheckAge, domain.CheckPassed, "Age within limits")
	}
	doc := p.Document
	if doc == nil || doc.Number == "" {
		s.add(CheckDocumentPresent, domain.CheckNeedsReview, "No identity document given")
		return s
	}
	s.add(CheckDocumentPresent, domain.CheckPassed, "Identity document given")
	switch _, err := domain.ParseDate(doc.ExpiryDate); {
	case err != nil:
		s.add(CheckDocumentExpiry, domain.CheckNeedsReview, "Expiry date missing or invalid")
	case doc.ExpiryDate < today:
		s.add(CheckDocumentExpiry, domain.CheckFailed, "Document expired")
	default:
		s.add(CheckDocumentExpiry, domain.CheckPassed, "Document not expired")
	}
	if msg := NumberFormatProblem(doc.Type, doc.IssuingCountry, doc.Number); msg != "" {
		s.add(CheckNumberFormat, domain.CheckNeedsReview, msg)
	} else {
		s.add(CheckNumberFormat, domain.CheckPassed, "Document number format plausible")
	}
	if doc.MRZ == "" {
		if doc.Type == domain.DocPassport {
			s.add(CheckMRZ, domain.CheckNeedsReview, "No MRZ given for a passport")
		}
		return s
	}
	m, err := domain.ParseMRZ(doc.MRZ, now)
	if err != nil {
		s.add(CheckMRZ, domain.CheckFailed, "MRZ invalid: "+domain.ErrMessage(err))
		return s
	}
	s.MRZ = m
	s.add(CheckMRZ, domain.CheckPassed, "MRZ check digits valid")
	mm := domain.CompareMRZ(m, p)
	if len(mm) == 0 {
		s.add(CheckMRZConsistency, domain.CheckPassed, "MRZ matches the form")
		return s
	}
	labels := make([]string, len(mm))
	fields := make([]string, len(mm))
	for i, x := range mm {
		labels[i], fields[i] = x.Label, x.Field
	}
	s.add(CheckMRZConsistency, domain.CheckFailed, "MRZ does not match the form ("+strings.Join(labels, ", ")+")")
	s.Checks[len(s.Checks)-1].Fields = fields
	return s
}

func company(b domain.Business, now time.Time) Subject {
	s := Subject{Subject: "company", Status: domain.CheckPassed}
	if strings.TrimSpace(b.RegistrationNumber) == "" {
		s.add(CheckRegistration, domain.CheckNeedsReview, "No registration number given")
	} else {
		s.add(CheckRegistration, domain.CheckPassed, "Registration number given")
	}
	today := now.UTC().Format(domain.DateLayout)
	if _, err := domain.ParseDate(b.IncorporationDate); err != nil {
		s.add(CheckIncorporation, domain.CheckNeedsReview, "Incorporation date missing or invalid")
	} else if b.IncorporationDate > today {
		s.add(CheckIncorporation, domain.CheckFailed, "Incorporation date in the future")
	} else {
		s.add(CheckIncorporation, domain.CheckPassed, "Incorporation date in the past")
	}
	return s
}

// numberFormats are known document-number formats by type and issuing
// country. Passports fit the 9-character MRZ field of ICAO 9303 TD3.
var numberFormats = map[domain.DocumentType]map[string]*regexp.Regexp{
	domain.DocPassport: {
		"":   regexp.MustCompile(`^[A-Z0-9]{6,9}$`),
		"DE": regexp.MustCompile(`^[CFGHJKLMNPRTVWXYZ0-9]{9}$`),
		"GB": regexp.MustCompile(`^[0-9]{9}$`),
		"US": regexp.MustCompile(`^[A-Z0-9][0-9]{8}$`),
		"FR": regexp.MustCompile(`^[0-9]{2}[A-Z]{2}[0-9]{5}$`),
		"IT": regexp.MustCompile(`^[A-Z]{2}[0-9]{7}$`),
		"NL": regexp.MustCompile(`^[A-NP-Z]{2}[A-NP-Z0-9]{6}[0-9]$`),
	},
	domain.DocIDCard: {
		"":   regexp.MustCompile(`^[A-Z0-9]{5,20}$`),
		"DE": regexp.MustCompile(`^[CFGHJKLMNPRTVWXYZ0-9]{9}$`),
		"NL": regexp.MustCompile(`^[A-NP-Z]{2}[A-NP-Z0-9]{6}[0-9]$`),
	},
	domain.DocResidencePermit: {"": regexp.MustCompile(`^[A-Z0-9]{5,20}$`)},
	domain.DocDrivingLicence:  {"": regexp.MustCompile(`^[A-Z0-9]{4,20}$`)},
}

// NumberFormatProblem returns "" when number fits the known format of the
// document type (for the issuing country when one is known, otherwise the
// general one), or a message without the number itself.
func NumberFormatProblem(t domain.DocumentType, country, number string) string {
	byCountry, ok := numberFormats[t]
	if !ok {
		return "Unknown document type"
	}
	re, ok := byCountry[country]
	if !ok {
		re = byCountry[""]
	}
	if !re.MatchString(number) {
		if country != "" && byCountry[country] != nil {
			return fmt.Sprintf("Document number does not have the format of a %s %s", country, strings.ReplaceAll(string(t), "_", " "))
		}
		return fmt.Sprintf("Document number does not have the usual format of a %s", strings.ReplaceAll(string(t), "_", " "))
	}
	return ""
}
