package domain

import (
	"strings"
	"testing"
	"time"
)

// ICAO 9303 specimens (Utopia).
const (
	specimenTD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
	specimenTD2 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6"
	specimenTD1 = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
)

func TestMRZCheckDigit(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]int{"L898902C3": 6, "740812": 2, "120415": 9, "ZE184226B<<<<<": 1, "D23145890": 7, "<<<": 0, "a": -1} {
		if got := MRZCheckDigit(s); got != want {
			t.Errorf("MRZCheckDigit(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestParseMRZSpecimens(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, mrz string
		want      MRZ
	}{
		{"TD3", specimenTD3, MRZ{Format: MRZTD3, DocumentCode: "P", IssuingState: "UTO", Surname: "ERIKSSON", GivenNames: "ANNA MARIA",
			DocumentNumber: "L898902C3", NationalityCode: "UTO", BirthDate: "1974-08-12", Sex: "F", ExpiryDate: "2012-04-15", OptionalData: "ZE184226B"}},
		{"TD3 one line", strings.ReplaceAll(specimenTD3, "\n", ""), MRZ{Format: MRZTD3, DocumentCode: "P", IssuingState: "UTO", Surname: "ERIKSSON", GivenNames: "ANNA MARIA",
			DocumentNumber: "L898902C3", NationalityCode: "UTO", BirthDate: "1974-08-12", Sex: "F", ExpiryDate: "2012-04-15", OptionalData: "ZE184226B"}},
		{"TD2", specimenTD2, MRZ{Format: MRZTD2, DocumentCode: "I", IssuingState: "UTO", Surname: "ERIKSSON", GivenNames: "ANNA MARIA",
			DocumentNumber: "D23145890", NationalityCode: "UTO", BirthDate: "1974-08-12", Sex: "F", ExpiryDate: "2012-04-15"}},
		{"TD1", specimenTD1, MRZ{Format: MRZTD1, DocumentCode: "I", IssuingState: "UTO", Surname: "ERIKSSON", GivenNames: "ANNA MARIA",
			DocumentNumber: "D23145890", NationalityCode: "UTO", BirthDate: "1974-08-12", Sex: "F", ExpiryDate: "2012-04-15"}},
		{"TD1 lower case with spaces", strings.ToLower(strings.ReplaceAll(specimenTD1, "\n", " \r\n ")), MRZ{Format: MRZTD1, DocumentCode: "I", IssuingState: "UTO", Surname: "ERIKSSON", GivenNames: "ANNA MARIA",
			DocumentNumber: "D23145890", NationalityCode: "UTO", BirthDate: "1974-08-12", Sex: "F", ExpiryDate: "2012-04-15"}},
		{"TD1 long document number", "I<UTOD23145890<7349<<<<<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\nSTEVENSON<<PETER<JOHN<<<<<<<<<", MRZ{Format: MRZTD1, DocumentCode: "I", IssuingState: "UTO",
			Surname: "STEVENSON", GivenNames: "PETER JOHN", DocumentNumber: "D23145890734", NationalityCode: "UTO", BirthDate: "1934-07-12", Sex: "M", ExpiryDate: "1995-07-12"}},
		{"German passport", td3("D<<", "MUSTERMANN", "ERIKA", "C01X00T47", "D<<", "830812", "F", "310131"), MRZ{Format: MRZTD3, DocumentCode: "P", IssuingState: "D", IssuingCountry: "DE",
			Surname: "MUSTERMANN", GivenNames: "ERIKA", DocumentNumber: "C01X00T47", NationalityCode: "D", Nationality: "DE", BirthDate: "1983-08-12", Sex: "F", ExpiryDate: "2031-01-31"}},
		{"born this century", td3("FRA", "MARTIN", "LEA", "19AB12345", "FRA", "050101", "<", "300101"), MRZ{Format: MRZTD3, DocumentCode: "P", IssuingState: "FRA", IssuingCountry: "FR",
			Surname: "MARTIN", GivenNames: "LEA", DocumentNumber: "19AB12345", NationalityCode: "FRA", Nationality: "FR", BirthDate: "2005-01-01", Sex: "X", ExpiryDate: "2030-01-01"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseMRZ(tt.mrz, testNow)
			if err != nil {
				t.Fatalf("ParseMRZ: %v", err)
			}
			if *got != tt.want {
				t.Fatalf("got  %+v\nwant %+v", *got, tt.want)
			}
		})
	}
}

func TestParseMRZErrors(t *testing.T) {
	t.Parallel()
	swap := func(s string, i int, c byte) string { b := []byte(s); b[i] = c; return string(b) }
	l2 := strings.Index(specimenTD3, "\n") + 1
	tests := []struct {
		name, mrz, msg string
	}{
		{"empty", "", "complete MRZ"},
		{"short", "P<UTOERIKSSON", "complete MRZ"},
		{"bad characters", strings.Replace(specimenTD3, "ERIKSSON", "ERIK-SON", 1), "only the letters"},
		{"document number digit", swap(specimenTD3, l2+9, '7'), "document number"},
		{"birth date digit", swap(specimenTD3, l2+19, '3'), "date of birth"},
		{"expiry digit", swap(specimenTD3, l2+27, '0'), "expiry date"},
		{"personal number digit", swap(specimenTD3, l2+42, '2'), "personal number"},
		{"composite digit", swap(specimenTD3, l2+43, '1'), "composite"},
		{"typo in number", swap(specimenTD3, l2+0, 'I'), "document number, composite"},
		{"TD1 composite", swap(specimenTD1, 60, '5'), "composite"},
		{"TD2 expiry", swap(specimenTD2, 37+27, '8'), "expiry date"},
		{"impossible date", td3("FRA", "MARTIN", "LEA", "19AB12345", "FRA", "050231", "F", "300101"), "not a real date"},
		{"visa", "V" + td3("FRA", "MARTIN", "LEA", "19AB12345", "FRA", "050101", "F", "300101")[1:], "visa"},
		{"bad sex", td3("FRA", "MARTIN", "LEA", "19AB12345", "FRA", "050101", "Q", "300101"), "sex"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseMRZ(tt.mrz, testNow)
			if err == nil {
				t.Fatal("no error")
			}
			if ErrCode(err) != ECodeInvalid || !strings.Contains(ErrMessage(err), tt.msg) {
				t.Fatalf("error %v, want a message containing %q", err, tt.msg)
			}
		})
	}
}

func TestCompareMRZ(t *testing.T) {
	t.Parallel()
	mrz := td3("D<<", "MUELLER", "ANNA MARIA", "C01X00T47", "D<<", "740812", "F", "310131")
	tests := []struct {
		name string
		edit func(p *Person)
		mrz  string
		want []string
	}{
		{"match with umlaut as UE", func(p *Person) {}, mrz, nil},
		{"match with umlaut folded", func(p *Person) {}, td3("D<<", "MULLER", "ANNA MARIA", "C01X00T47", "D<<", "740812", "F", "310131"), nil},
		{"case and accents", func(p *Person) { p.GivenNames = "ANNA maría" }, mrz, nil},
		{"hyphen and apostrophe", func(p *Person) { p.FamilyName = "O'Neil-Smith" }, td3("D<<", "ONEIL SMITH", "ANNA MARIA", "C01X00T47", "D<<", "740812", "F", "310131"), nil},
		{"truncated", func(p *Person) { p.GivenNames = "Anna Maria Theresia Wilhelmina Josephine" },
			td3("D<<", "MUELLER", "ANNA MARIA THERESIA WILHELMINA JOSEPHINE", "C01X00T47", "D<<", "740812", "F", "310131"), nil},
		{"all names in the surname", func(p *Person) {}, td3("D<<", "MUELLER ANNA MARIA", "", "C01X00T47", "D<<", "740812", "F", "310131"), nil},
		{"cyrillic", func(p *Person) { p.FamilyName = "Жуков"; p.GivenNames = "Анна" }, td3("D<<", "ZHUKOV", "ANNA", "C01X00T47", "D<<", "740812", "F", "310131"), nil},
		{"other script not compared", func(p *Person) { p.FamilyName = "王"; p.GivenNames = "芳" }, mrz, nil},
		{"everything differs", func(p *Person) {
			p.FamilyName, p.GivenNames, p.BirthDate, p.Nationality = "Schmidt", "Eva", "1975-08-12", "AT"
			p.Document.Number, p.Document.ExpiryDate, p.Document.IssuingCountry, p.Document.Type = "C01X00T48", "2031-01-30", "AT", DocIDCard
		}, mrz, []string{"family_name", "given_names", "birth_date", "nationality", "document.number", "document.expiry_date", "document.issuing_country", "document.type"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := validPerson()
			tt.edit(p)
			m, err := ParseMRZ(tt.mrz, testNow)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, x := range CompareMRZ(m, *p) {
				got = append(got, x.Field)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("mismatches %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMRZDateCentury(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in    string
		birth bool
		want  string
	}{
		{"260701", true, "2026-07-01"}, {"260702", true, "1926-07-02"}, {"991231", true, "1999-12-31"},
		{"360101", false, "2036-01-01"}, {"991231", false, "1999-12-31"}, {"760101", false, "2076-01-01"}, {"770101", false, "1977-01-01"},
	} {
		got, ok := mrzDate(tc.in, now, tc.birth)
		if !ok || got != tc.want {
			t.Errorf("mrzDate(%s, birth=%v) = %s, want %s", tc.in, tc.birth, got, tc.want)
		}
	}
}

func FuzzParseMRZ(f *testing.F) {
	for _, s := range []string{specimenTD1, specimenTD2, specimenTD3, "", "P<", strings.Repeat("<", 88), strings.Repeat("9", 90),
		"I<UTOD23145890<7349<<<<<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\nSTEVENSON<<PETER<JOHN<<<<<<<<<"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMRZ(s, testNow)
		if err != nil {
			if ErrCode(err) != ECodeInvalid || ErrMessage(err) == "" {
				t.Fatalf("error without a message: %v", err)
			}
			return
		}
		if m.DocumentNumber == "" || m.Surname == "" {
			t.Fatalf("parsed without number or name: %+v", m)
		}
		for _, d := range []string{m.BirthDate, m.ExpiryDate} {
			if d != "" {
				if _, err := ParseDate(d); err != nil {
					t.Fatalf("bad date %q", d)
				}
			}
		}
		if m.BirthDate != "" && m.BirthDate > testNow.Format(DateLayout) {
			t.Fatalf("birth date in the future: %s", m.BirthDate)
		}
		_ = CompareMRZ(m, *validPerson())
	})
}
