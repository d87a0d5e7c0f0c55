package lists

import (
	"errors"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/screening"
)

const (
	fxSDN = `36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- 
2676,"AL ZAWAHIRI, Dr. Ayman","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 19 Jun 1951; POB Giza, Egypt; nationality Egypt; Passport 1084010 (Egypt); Gender Male."
4243,"EBANO","vessel","CUBA",-0- ,-0- ,"General Cargo","2595","1865","Panama",-0- ,"Vessel Registration Identification IMO 7406784; f.k.a. 'ANA I'."
` + "\x1a"
	fxAlt      = "2676,1,\"aka\",\"AL-ZAWAHIRI, Aiman\",-0- \n36,2,\"fka\",\"AERO-CARIBBEAN\",-0- \n\x1a"
	fxAdd      = "36,25,-0- ,\"Havana\",\"Cuba\",-0- \n2676,26,-0- ,-0- ,\"Egypt\",-0- \n4243,27,-0- ,-0- ,-0- ,-0- \n\x1a"
	fxComments = "2676,\" More remarks.\"\n"
	fxUN       = `<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z"><INDIVIDUALS><INDIVIDUAL>
<DATAID>6908555</DATAID><FIRST_NAME>ERIC</FIRST_NAME><SECOND_NAME>BADEGE</SECOND_NAME><UN_LIST_TYPE>DRC</UN_LIST_TYPE>
<REFERENCE_NUMBER>CDi.001</REFERENCE_NUMBER><LISTED_ON>2012-12-31</LISTED_ON><NAME_ORIGINAL_SCRIPT>إريك</NAME_ORIGINAL_SCRIPT>
<NATIONALITY><VALUE>Democratic Republic of the Congo</VALUE></NATIONALITY>
<INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Big Eric</ALIAS_NAME></INDIVIDUAL_ALIAS>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><YEAR>1971</YEAR></INDIVIDUAL_DATE_OF_BIRTH>
</INDIVIDUAL></INDIVIDUALS><ENTITIES><ENTITY><DATAID>110326</DATAID><FIRST_NAME>YAZD METALLURGY INDUSTRIES</FIRST_NAME>
<ENTITY_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>YMI</ALIAS_NAME></ENTITY_ALIAS><ENTITY_ADDRESS><COUNTRY>Iran (Islamic Republic of)</COUNTRY></ENTITY_ADDRESS>
</ENTITY></ENTITIES></CONSOLIDATED_LIST>`
	fxFtM = `{"id":"NK-1","schema":"Person","properties":{"name":["Maria ZAKHAROVA"],"alias":["Мария Захарова"],"weakAlias":["Masha"],"birthDate":["1988-01-07"],"nationality":["ru"],"topics":["sanction","role.pep"]},"referents":["ofac-123"]}
{"id":"NK-2","schema":"Sanction","properties":{}}
{"op":"ADD","entity":{"id":"NK-3","schema":"Company","properties":{"name":["ZALA AERO"],"country":["ru"]}}}
{"op":"DEL","entity":{"id":"NK-3"}}
`
	fxCSL = `_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,start_date,end_date,standard_order,license_requirement,license_policy,call_sign,vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,source_information_url,ids
"26182","Foreign Sanctions Evaders (FSE) - Treasury Department","26182","Individual","FSE-IR","Evren KAYAKIRAN","","TR","","","","","","","","","","","","","","","Evren KAYAKIRAN; E. KAYAKIRAN","TR","1980-02-08","","","","Passport, U00242309, TR; Gender, Male"
"e1","Entity List (EL) - Bureau of Industry and Security","","Entity","","ACME TECH","","Moscow, RU","","","","","","","","","","","","","","","","","","","","",""
`
	fxEUCSV = "fileGenerationDate;Entity_LogicalId;Entity_EU_ReferenceNumber;Entity_SubjectType_ClassificationCode;Entity_Regulation_Programme;NameAlias_LastName;NameAlias_FirstName;NameAlias_MiddleName;NameAlias_WholeName;NameAlias_Gender;NameAlias_LogicalId;BirthDate_BirthDate;BirthDate_Year;Citizenship_CountryIso2Code;Identification_Number;Identification_TypeCode;Identification_CountryIso2Code\n" +
		"28/10/2022;13;EU.27.28;person;IRQ;Hussein Al-Tikriti;Saddam;;Saddam Hussein Al-Tikriti;M;17;1937-04-28;1937;IQ;;;\n" +
		"28/10/2022;13;EU.27.28;person;IRQ;;;;Abu Ali;M;18;;;;;;\n" +
		"28/10/2022;20;EU.39.56;enterprise;IRN;;;;Bank Sepah;;30;;;;;;\n"
	fxEUXML = `<?xml version="1.0"?><export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2022-10-28">
<sanctionEntity designationDate="2003-07-07" logicalId="13" euReferenceNumber="EU.27.28"><regulation programme="IRQ"/><subjectType code="person"/>
<nameAlias firstName="Saddam" lastName="Hussein Al-Tikriti" wholeName="Saddam Hussein Al-Tikriti" gender="M" strong="true"/>
<nameAlias wholeName="Abu Ali" strong="false"/><citizenship countryIso2Code="IQ"/><birthdate birthdate="1937-04-28" year="1937" city="al-Awja"/>
</sanctionEntity></export>`
	fxUK = `Report Date: 28-Jan-2026
Last Updated,Unique ID,OFSI Group ID,UN Reference Number,Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Name type,Alias strength,Title,Name non-latin script,Regime Name,Designation Type,Date of birth,Nationality(/ies),Passport number,Gender,Town of birth,Country of birth,IMO number
01/02/2024,RUS0001,14000,,ZAKHAROVA,Maria,Aleksandrovna,,,,Primary Name,,,Мария Захарова,Russia,Individual,07/01/1988,Russia,,Female,Moscow,Russia,
01/02/2024,RUS0001,14000,,ZAKHAROVA,Mariya,,,,,Alias,Low quality,,,Russia,Individual,07/01/1988,Russia,,Female,Moscow,Russia,
01/02/2024,RUS0002,14001,,SPARTA IV,,,,,,Primary Name,,,,Russia,Ship,,,,,,,9538696
`
)

func files(pairs ...string) []File {
	var fs []File
	for i := 0; i+1 < len(pairs); i += 2 {
		fs = append(fs, File{Name: pairs[i], R: strings.NewReader(pairs[i+1])})
	}
	return fs
}

// ofacSet is the full OFAC SDN fixture file set with some files replaced:
// pairs of name and content, as for files.
func ofacSet(replace ...string) []File {
	set := []string{"sdn.csv", fxSDN, "alt.csv", fxAlt, "add.csv", fxAdd, "sdn_comments.csv", fxComments}
	for i := 0; i+1 < len(replace); i += 2 {
		for j := 0; j < len(set); j += 2 {
			if set[j] == replace[i] {
				set[j+1] = replace[i+1]
			}
		}
	}
	return files(set...)
}

func byID(ents []screening.Entity) map[string]screening.Entity {
	m := map[string]screening.Entity{}
	for _, e := range ents {
		m[e.ID] = e
	}
	return m
}

func TestParseFixtures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		source string
		files  []File
		n      int
		check  func(t *testing.T, m map[string]screening.Entity)
	}{
		{"ofac sdn", SourceOFACSDN, files("SDN.CSV", fxSDN, "alt.csv", fxAlt, "add.csv", fxAdd, "sdn_comments.csv", fxComments), 3, func(t *testing.T, m map[string]screening.Entity) {
			z := m["ofac_sdn:2676"]
			if z.Name != "Dr. Ayman AL ZAWAHIRI" || z.Type != screening.TypePerson || z.BirthDates[0] != "1951-06-19" || z.Countries[0] != "EG" ||
				len(z.Aliases) != 1 || z.Aliases[0].Name != "Aiman AL-ZAWAHIRI" || z.Identifiers[0].Value != "1084010" || z.Gender != "male" || !strings.Contains(z.Remarks, "More remarks") {
				t.Fatalf("%+v", z)
			}
			v := m["ofac_sdn:4243"]
			if v.Type != screening.TypeVessel || v.Vessel.IMO != "7406784" || v.Vessel.Flag != "PA" || v.Aliases[0].Kind != screening.AliasFKA {
				t.Fatalf("%+v %+v", v, v.Vessel)
			}
			if m["ofac_sdn:36"].Aliases[0].Kind != screening.AliasFKA {
				t.Fatalf("%+v", m["ofac_sdn:36"])
			}
		}},
		{"ofac consolidated", SourceOFACConsolidated, files("cons_prim.csv", fxSDN, "CONS_ALT.CSV", fxAlt, "cons_add.csv", fxAdd, "cons_comments.csv", fxComments), 3, nil},
		{"un", SourceUN, files("un.xml", fxUN), 2, func(t *testing.T, m map[string]screening.Entity) {
			e := m["un:6908555"]
			if e.Name != "ERIC BADEGE" || e.BirthDates[0] != "1971" || e.Countries[0] != "CD" || len(e.Aliases) != 2 || !e.Aliases[1].Weak || e.Aliases[0].Kind != screening.AliasOriginalScript {
				t.Fatalf("%+v", e)
			}
			if m["un:110326"].Countries[0] != "IR" {
				t.Fatalf("%+v", m["un:110326"])
			}
		}},
		{"opensanctions", SourceOpenSanctions, files("e.json", fxFtM), 1, func(t *testing.T, m map[string]screening.Entity) {
			e := m["opensanctions:NK-1"]
			if e.Countries[0] != "RU" || len(e.Aliases) != 2 || !e.Aliases[1].Weak || e.Referents[0] != "ofac-123" || e.Topics[1] != "role.pep" {
				t.Fatalf("%+v", e)
			}
		}},
		{"us csl", SourceUSCSL, files("csl.csv", fxCSL), 2, func(t *testing.T, m map[string]screening.Entity) {
			e := m["us_csl:26182"]
			if e.BirthDates[0] != "1980-02-08" || e.Gender != "male" || e.Identifiers[0].Value != "U00242309" || len(e.Aliases) != 1 {
				t.Fatalf("%+v", e)
			}
			if m["us_csl:e1"].Topics[0] != "export.control" {
				t.Fatalf("%+v", m["us_csl:e1"])
			}
		}},
		{"eu csv", SourceEU, files("eu.csv", fxEUCSV), 2, func(t *testing.T, m map[string]screening.Entity) {
			e := m["eu:13"]
			if e.Name != "Saddam Hussein Al-Tikriti" || e.Aliases[0].Name != "Abu Ali" || e.BirthDates[0] != "1937-04-28" || e.Countries[0] != "IQ" {
				t.Fatalf("%+v", e)
			}
		}},
		{"eu xml", SourceEU, files("eu.xml", fxEUXML), 1, func(t *testing.T, m map[string]screening.Entity) {
			e := m["eu:13"]
			if e.Name != "Saddam Hussein Al-Tikriti" || !e.Aliases[0].Weak || e.BirthDates[0] != "1937-04-28" || e.Type != screening.TypePerson {
				t.Fatalf("%+v", e)
			}
		}},
		{"uk", SourceUK, files("UK-Sanctions-List.csv", fxUK), 2, func(t *testing.T, m map[string]screening.Entity) {
			e := m["uk:RUS0001"]
			if e.Name != "Maria Aleksandrovna ZAKHAROVA" || len(e.Aliases) != 2 || e.BirthDates[0] != "1988-01-07" || e.Countries[0] != "RU" {
				t.Fatalf("%+v", e)
			}
			if s := m["uk:RUS0002"]; s.Type != screening.TypeVessel || s.Identifiers[0].Value != "9538696" {
				t.Fatalf("%+v", s)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ents, err := Parse(tc.source, tc.files)
			if err != nil {
				t.Fatal(err)
			}
			if len(ents) != tc.n {
				t.Fatalf("got %d entities, want %d: %+v", len(ents), tc.n, ents)
			}
			if tc.check != nil {
				tc.check(t, byID(ents))
			}
		})
	}
}

func TestParseDamaged(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		source string
		files  []File
		want   string
	}{
		{"truncated quote", SourceOFACSDN, ofacSet("sdn.csv", fxSDN[:200]), "sdn.csv: line 2"},
		{"wrong columns", SourceOFACSDN, ofacSet("sdn.csv", "1,\"A\",-0-\n"), "sdn.csv: line 1: want 12 columns"},
		{"bad encoding", SourceOFACSDN, ofacSet("sdn.csv", "1,\"A\xff\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n"), "line 1: invalid UTF-8"},
		{"alias of unknown", SourceOFACSDN, ofacSet("alt.csv", "99,1,\"aka\",\"X\",-0- \n"), "alt.csv: line 1"},
		{"unknown file", SourceOFACSDN, append(ofacSet(), files("foo.csv", fxSDN)...), "foo.csv: not a file"},
		{"missing prim", SourceOFACSDN, files("alt.csv", fxAlt), "sdn.csv is missing"},
		{"truncated xml", SourceUN, files("un.xml", fxUN[:600]), "un.xml: line"},
		{"truncated json", SourceOpenSanctions, files("e.json", fxFtM[:100]), "e.json: line 1"},
		{"truncated csl", SourceUSCSL, files("csl.csv", fxCSL[:len(fxCSL)-60]), "csl.csv: line 3"},
		{"eu missing column", SourceEU, files("eu.csv", "a;Entity_LogicalId\n1;2\n"), "missing column"},
		{"uk truncated", SourceUK, files("uk.csv", fxUK[:len(fxUK)-30]), "uk.csv: line 5"},
		{"empty", SourceUN, files("un.xml", ""), "un.xml"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ents, err := Parse(tc.source, tc.files)
			if err == nil || !strings.Contains(err.Error(), tc.want) || ents != nil {
				t.Fatalf("want error containing %q and no data, got %v (%d entities)", tc.want, err, len(ents))
			}
		})
	}
}

func TestDelta(t *testing.T) {
	t.Parallel()
	old := []screening.Entity{{ID: "a", Name: "A"}, {ID: "b", Name: "B"}, {ID: "c", Name: "C"}}
	nw := []screening.Entity{{ID: "b", Name: "B"}, {ID: "c", Name: "C2"}, {ID: "d", Name: "D"}}
	d := Delta(old, nw)
	if strings.Join(d.Added, ",") != "d" || strings.Join(d.Changed, ",") != "c" || strings.Join(d.Removed, ",") != "a" {
		t.Fatalf("%+v", d)
	}
	if !Delta(nw, nw).Empty() || SnapshotHash(old) == SnapshotHash(nw) {
		t.Fatal("identical snapshots differ or different snapshots agree")
	}
}

// TestDeltaRealOFAC compares the 2021-07 and 2023-12 OFAC SDN editions.
func TestDeltaRealOFAC(t *testing.T) {
	t.Parallel()
	a, err := Parse(SourceOFACSDN, openFiles(t, "us_ofac_2021-07/sdn.csv", "us_ofac_2021-07/alt.csv", "us_ofac_2021-07/add.csv", "us_ofac_2021-07/sdn_comments.csv"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Parse(SourceOFACSDN, openFiles(t, "us_ofac/sdn.csv", "us_ofac/alt.csv", "us_ofac/add.csv", "us_ofac/sdn_comments.csv"))
	if err != nil {
		t.Fatal(err)
	}
	d := Delta(a, b)
	t.Logf("2021-07 -> 2023-12: %d added, %d changed, %d removed", len(d.Added), len(d.Changed), len(d.Removed))
	if len(b)-len(a) != len(d.Added)-len(d.Removed) || len(d.Added) == 0 || len(d.Changed) == 0 {
		t.Fatalf("inconsistent delta %d/%d/%d for %d -> %d", len(d.Added), len(d.Changed), len(d.Removed), len(a), len(b))
	}
	if !Delta(b, b).Empty() {
		t.Fatal("self delta not empty")
	}
}

func TestUnknownSource(t *testing.T) {
	t.Parallel()
	if _, err := Parse("nope", nil); err == nil {
		t.Fatal("want error")
	}
	var pe *ParseError
	_, err := Parse(SourceUN, files("x.xml", "<other/>"))
	if !errors.As(err, &pe) {
		t.Fatalf("want ParseError, got %v", err)
	}
}

func fuzzParse(f *testing.F, source, name string, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ents, err := Parse(source, []File{{Name: name, R: strings.NewReader(string(data))}})
		if err != nil && ents != nil {
			t.Fatal("partial data with error")
		}
		for _, e := range ents {
			if e.ID == "" || e.Source != source {
				t.Fatalf("bad entity %+v", e)
			}
		}
	})
}

func FuzzOFAC(f *testing.F) {
	f.Add([]byte(fxSDN))
	f.Fuzz(func(t *testing.T, data []byte) {
		ents, err := Parse(SourceOFACSDN, ofacSet("sdn.csv", string(data)))
		if err != nil && ents != nil {
			t.Fatal("partial data with error")
		}
	})
}
func FuzzUN(f *testing.F)            { fuzzParse(f, SourceUN, "un.xml", fxUN) }
func FuzzOpenSanctions(f *testing.F) { fuzzParse(f, SourceOpenSanctions, "e.json", fxFtM) }
func FuzzCSL(f *testing.F)           { fuzzParse(f, SourceUSCSL, "csl.csv", fxCSL) }
func FuzzEU(f *testing.F)            { fuzzParse(f, SourceEU, "eu.csv", fxEUCSV, fxEUXML) }
func FuzzUK(f *testing.F)            { fuzzParse(f, SourceUK, "uk.csv", fxUK) }

func FuzzLooseDate(f *testing.F) {
	for _, s := range []string{"10 Dec 1948", "Dec 1948", "circa 1955", "1960 to 1962", "1948-12-10", "00/00/1970"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, d := range parseLooseDates(s) {
			if len(d) != 4 && len(d) != 7 && len(d) != 10 {
				t.Fatalf("%q -> %q", s, d)
			}
		}
		parseUKDate(s)
	})
}
