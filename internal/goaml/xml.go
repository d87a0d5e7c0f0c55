package goaml

import "encoding/xml"

// The XML shapes of goaml.xsd, field order as the schema's sequences.

type xReport struct {
	XMLName           xml.Name          `xml:"report"`
	RentityID         string            `xml:"rentity_id"`
	RentityBranch     string            `xml:"rentity_branch,omitempty"`
	SubmissionCode    string            `xml:"submission_code"`
	ReportCode        string            `xml:"report_code"`
	EntityReference   string            `xml:"entity_reference,omitempty"`
	FIURefNumber      string            `xml:"fiu_ref_number,omitempty"`
	SubmissionDate    string            `xml:"submission_date"`
	CurrencyCodeLocal string            `xml:"currency_code_local"`
	ReportingPerson   *xReportingPerson `xml:"reporting_person,omitempty"`
	Reason            string            `xml:"reason,omitempty"`
	Action            string            `xml:"action,omitempty"`
	Transactions      []xTransaction    `xml:"transaction"`
	Indicators        xIndicators       `xml:"report_indicators"`
}

type xIndicators struct {
	Indicator []string `xml:"indicator"`
}

type xReportingPerson struct {
	FirstName  string `xml:"first_name"`
	LastName   string `xml:"last_name"`
	Email      string `xml:"email,omitempty"`
	Occupation string `xml:"occupation,omitempty"`
}

type xTransaction struct {
	Number        string         `xml:"transactionnumber"`
	InternalRef   string         `xml:"internal_ref_number,omitempty"`
	Description   string         `xml:"transaction_description,omitempty"`
	Date          string         `xml:"date_transaction"`
	TransmodeCode string         `xml:"transmode_code"`
	AmountLocal   string         `xml:"amount_local"`
	FromMyClient  *xFromMyClient `xml:"t_from_my_client,omitempty"`
	From          *xFrom         `xml:"t_from,omitempty"`
	ToMyClient    *xToMyClient   `xml:"t_to_my_client,omitempty"`
	To            *xTo           `xml:"t_to,omitempty"`
	Comments      string         `xml:"comments,omitempty"`
}

type xForeignCurrency struct {
	Code   string `xml:"foreign_currency_code"`
	Amount string `xml:"foreign_amount"`
	Rate   string `xml:"foreign_exchange_rate"`
}

type xFromMyClient struct {
	FundsCode string            `xml:"from_funds_code"`
	Foreign   *xForeignCurrency `xml:"from_foreign_currency,omitempty"`
	Person    *xPersonMyClient  `xml:"from_person,omitempty"`
	Entity    *xEntityMyClient  `xml:"from_entity,omitempty"`
	Country   string            `xml:"from_country"`
}

type xFrom struct {
	FundsCode string            `xml:"from_funds_code"`
	Foreign   *xForeignCurrency `xml:"from_foreign_currency,omitempty"`
	Person    *xPerson          `xml:"from_person,omitempty"`
	Entity    *xEntity          `xml:"from_entity,omitempty"`
	Country   string            `xml:"from_country"`
}

type xToMyClient struct {
	FundsCode string           `xml:"to_funds_code"`
	Person    *xPersonMyClient `xml:"to_person,omitempty"`
	Entity    *xEntityMyClient `xml:"to_entity,omitempty"`
	Country   string           `xml:"to_country"`
}

type xTo struct {
	FundsCode string   `xml:"to_funds_code"`
	Person    *xPerson `xml:"to_person,omitempty"`
	Entity    *xEntity `xml:"to_entity,omitempty"`
	Country   string   `xml:"to_country"`
}

type xPersonMyClient struct {
	FirstName       string      `xml:"first_name"`
	MiddleName      string      `xml:"middle_name,omitempty"`
	LastName        string      `xml:"last_name"`
	Birthdate       string      `xml:"birthdate"`
	PassportNumber  string      `xml:"passport_number,omitempty"`
	PassportCountry string      `xml:"passport_country,omitempty"`
	IDNumber        string      `xml:"id_number,omitempty"`
	Nationality1    string      `xml:"nationality1"`
	Residence       string      `xml:"residence,omitempty"`
	Addresses       *xAddresses `xml:"addresses"`
	Email           string      `xml:"email,omitempty"`
	Occupation      string      `xml:"occupation,omitempty"`
	TaxNumber       string      `xml:"tax_number,omitempty"`
}

type xPerson struct {
	FirstName  string `xml:"first_name"`
	MiddleName string `xml:"middle_name,omitempty"`
	LastName   string `xml:"last_name"`
	Residence  string `xml:"residence,omitempty"`
}

type xEntityPerson struct {
	FirstName    string `xml:"first_name"`
	MiddleName   string `xml:"middle_name,omitempty"`
	LastName     string `xml:"last_name"`
	Birthdate    string `xml:"birthdate,omitempty"`
	Nationality1 string `xml:"nationality1,omitempty"`
	Residence    string `xml:"residence,omitempty"`
	Comments     string `xml:"comments,omitempty"`
	Role         string `xml:"role"`
}

type xEntityMyClient struct {
	Name              string          `xml:"name"`
	LegalForm         string          `xml:"incorporation_legal_form,omitempty"`
	Number            string          `xml:"incorporation_number"`
	Business          string          `xml:"business,omitempty"`
	Addresses         *xAddresses     `xml:"addresses"`
	Email             string          `xml:"email,omitempty"`
	URL               string          `xml:"url,omitempty"`
	CountryCode       string          `xml:"incorporation_country_code"`
	Directors         []xEntityPerson `xml:"director_id"`
	IncorporationDate string          `xml:"incorporation_date,omitempty"`
}

type xEntity struct {
	Name        string `xml:"name"`
	CountryCode string `xml:"incorporation_country_code,omitempty"`
}

type xAddresses struct {
	Address []xAddress `xml:"address"`
}

type xAddress struct {
	Type    string `xml:"address_type"`
	Address string `xml:"address"`
	City    string `xml:"city"`
	Zip     string `xml:"zip,omitempty"`
	Country string `xml:"country_code"`
	State   string `xml:"state,omitempty"`
}
