package app

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/kyc-platform/kyc/internal/domain"
)

// TestScreenedDataScreensEveryName: re-screening decodes only the names of
// a customer's record; it must screen exactly the names the screening
// check screens — the person, or the company with each related person and
// related company (PRODUCT.md section 2: "Every related person and company
// is screened"; FATF R.10 and R.24 on beneficial owners).
func TestScreenedDataScreensEveryName(t *testing.T) {
	t.Parallel()
	addr := &domain.Address{Line1: "Storgatan 1", City: "Stockholm", PostalCode: "11122", Country: "SE"}
	for name, data := range map[string]domain.CustomerData{
		"individual": {Individual: &domain.Person{GivenNames: "Anna Maria", FamilyName: "Eriksson", BirthDate: "1990-08-12", Nationality: "SE", Address: addr, Email: "a@example.com"}},
		"business": {Business: &domain.Business{LegalName: "Nordic Widgets AB", IncorporationCountry: "SE", Address: addr, RelatedPersons: []domain.RelatedPerson{
			{Person: domain.Person{GivenNames: "Lars", FamilyName: "Nilsson", BirthDate: "1975-03-04", Nationality: "SE", Address: addr}, Roles: []domain.RelatedRole{domain.RoleUBO}},
			{ID: "hold", Kind: domain.PartyCompany, LegalName: "Baltic Holding OU", IncorporationCountry: "EE", Roles: []domain.RelatedRole{domain.RoleShareholder}},
		}}},
	} {
		plain, err := json.Marshal(data)
		if err != nil {
			t.Fatal(err)
		}
		full := domain.Customer{ID: "cus_1", Data: data}
		var sd screenedData
		if err := json.Unmarshal(plain, &sd); err != nil {
			t.Fatal(err)
		}
		slim := sd.customer("cus_1")
		want, got := screeningQueries(&full), screeningQueries(&slim)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: re-screening screens %+v, the check screens %+v", name, got, want)
		}
		if name == "business" && (len(want) != 3 || want[2].Name != "Baltic Holding OU" || want[2].Type != "organization") {
			t.Errorf("business: queries %+v, want the company, its person and its related company", want)
		}
	}
}
