package domain

// The closed sets of values of the domain's string types, each in a stable
// order. The API documents them as the enums of its fields and parameters
// (internal/api/openapi_enums.go), so generated clients and the server agree
// by construction; values_test.go checks that each list holds every
// constant of its type declared in this package, and nothing else.
var (
	// CustomerTypes lists every customer type.
	CustomerTypes = []CustomerType{CustomerIndividual, CustomerBusiness}
	// RiskRatings lists every risk rating, from the lowest.
	RiskRatings = []RiskRating{RiskLow, RiskMedium, RiskHigh, RiskProhibited}
	// DueDiligenceLevels lists every level of due diligence, from the lightest.
	DueDiligenceLevels = []DueDiligence{DDSimplified, DDStandard, DDEnhanced}
	// CaseKinds lists every case kind.
	CaseKinds = []CaseKind{CaseOnboarding, CaseScreeningHit, CasePeriodicReview, CaseListUpdate, CaseChangeReview, CaseDocumentExpiry, CaseTransactionAlert}
	// CaseStatuses lists every case status.
	CaseStatuses = []CaseStatus{CaseOpen, CasePendingSecondApproval, CaseClosed}
	// DecisionKinds lists every decision on a case.
	DecisionKinds = []DecisionKind{DecisionApprove, DecisionReject, DecisionRequestInfo, DecisionEscalate, DecisionCloseCustomer}
	// HitDispositions lists the verdicts on a screening hit (an open hit has
	// none: DispositionOpen, "").
	HitDispositions = []Disposition{DispositionTrueMatch, DispositionFalsePositive}
	// CheckStatuses lists every check status.
	CheckStatuses = []CheckStatus{CheckPending, CheckPassed, CheckFailed, CheckNeedsReview, CheckError}
	// DocumentTypes lists every identity document type.
	DocumentTypes = []DocumentType{DocPassport, DocIDCard, DocDrivingLicence, DocResidencePermit}
	// PartyKinds lists every kind of related party.
	PartyKinds = []PartyKind{PartyPerson, PartyCompany}
	// TxDirections lists both transaction directions.
	TxDirections = []TxDirection{TxIn, TxOut}
	// CounterpartyTypes lists the known counterparty types (absent: not known).
	CounterpartyTypes = []CounterpartyType{CounterpartyPerson, CounterpartyOrganization}
	// AlertStatuses lists every alert status.
	AlertStatuses = []AlertStatus{AlertOpen, AlertFalsePositive, AlertSuspicious}
	// ReportTypes lists every report type.
	ReportTypes = []ReportType{ReportSTR}
	// ReportStatuses lists every report status.
	ReportStatuses = []ReportStatus{ReportDraft, ReportSubmitted}
)
