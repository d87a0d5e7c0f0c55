package screening

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"sort"
)

// EntityType is the kind of a listed subject.
type EntityType string

// Entity types. The empty EntityType means unknown.
const (
	TypePerson       EntityType = "person"
	TypeOrganization EntityType = "organization"
	TypeVessel       EntityType = "vessel"
	TypeAircraft     EntityType = "aircraft"
)

// AliasKind says what kind of alternative name an Alias is.
type AliasKind string

// Alias kinds.
const (
	AliasAKA            AliasKind = "aka"             // also known as
	AliasFKA            AliasKind = "fka"             // formerly known as
	AliasNKA            AliasKind = "nka"             // now known as
	AliasOriginalScript AliasKind = "original_script" // the name in its original (often non-Latin) script
)

// Alias is an alternative name of an entity.
type Alias struct {
	// Name is the alias in display order.
	Name string `json:"name"`
	// Weak marks a low-quality alias (a nickname or a very generic name);
	// weak aliases are matched but need a near-exact match to score high.
	Weak bool `json:"weak,omitempty"`
	// Kind is aka, fka, nka or original_script ("" is treated as aka).
	Kind AliasKind `json:"kind,omitempty"`
}

// Identifier is an identity or registration document number.
type Identifier struct {
	// Type is the document type as the list names it ("Passport", "National ID No.", "IMO").
	Type string `json:"type"`
	// Value is the number as published.
	Value string `json:"value"`
	// Country is the issuing country, ISO alpha-2 when known, else as published.
	Country string `json:"country,omitempty"`
}

// Vessel holds the vessel-specific data of a vessel entity.
type Vessel struct {
	// CallSign is the radio call sign.
	CallSign string `json:"call_sign,omitempty"`
	// VesselType is the kind of vessel ("Tug", "Crude Oil Tanker").
	VesselType string `json:"vessel_type,omitempty"`
	// Tonnage is the published tonnage.
	Tonnage string `json:"tonnage,omitempty"`
	// GRT is the gross registered tonnage.
	GRT string `json:"grt,omitempty"`
	// Flag is the flag state, ISO alpha-2 when known.
	Flag string `json:"flag,omitempty"`
	// Owner is the owner or operator as published.
	Owner string `json:"owner,omitempty"`
	// IMO is the IMO number.
	IMO string `json:"imo,omitempty"`
}

// Entity is one listed subject as parsed from a source list. It is stored
// as JSON per list snapshot.
type Entity struct {
	// ID is stable and unique across sources, e.g. "ofac_sdn:12345".
	ID string `json:"id"`
	// Source is the name of the list source (registered in screening/lists).
	Source string `json:"source"`
	// SourceID is the list's own identifier (OFAC ent_num, UN DATAID …).
	SourceID string `json:"source_id"`
	// Type is the kind of subject; "" means unknown.
	Type EntityType `json:"type"`
	// Name is the primary name in display order ("Given SURNAME").
	Name string `json:"name"`
	// Aliases are alternative names.
	Aliases []Alias `json:"aliases,omitempty"`
	// BirthDates are YYYY, YYYY-MM or YYYY-MM-DD.
	BirthDates []string `json:"birth_dates,omitempty"`
	// PlacesOfBirth are places of birth as published.
	PlacesOfBirth []string `json:"places_of_birth,omitempty"`
	// Countries are ISO alpha-2 codes (nationality, citizenship, address, flag).
	Countries []string `json:"countries,omitempty"`
	// Topics classify the entity: "sanction", "role.pep", "export.control" …
	Topics []string `json:"topics,omitempty"`
	// Programs are the sanctions programmes or regimes.
	Programs []string `json:"programs,omitempty"`
	// Identifiers are identity and registration documents.
	Identifiers []Identifier `json:"identifiers,omitempty"`
	// Addresses are postal addresses, one line each.
	Addresses []string `json:"addresses,omitempty"`
	// Gender is "male", "female" or "".
	Gender string `json:"gender,omitempty"`
	// Title is a position or title as published.
	Title string `json:"title,omitempty"`
	// Vessel holds vessel data for vessels.
	Vessel *Vessel `json:"vessel,omitempty"`
	// ListedOn is the listing date (YYYY-MM-DD) when published.
	ListedOn string `json:"listed_on,omitempty"`
	// Remarks are the list's free-text remarks.
	Remarks string `json:"remarks,omitempty"`
	// Referents are other identifiers of the same subject (e.g. OpenSanctions referents "ofac-12345").
	Referents []string `json:"referents,omitempty"`
}

// ContentHash returns a stable SHA-256 hex digest over the canonical content
// of the entity: the same content gives the same hash whatever the order of
// its list-valued fields.
func (e *Entity) ContentHash() string {
	c := e.canonical()
	b, err := json.Marshal(&c)
	if err != nil { // cannot happen: Entity has only strings and slices of them
		panic(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// canonical returns a copy with sorted, de-duplicated list fields.
func (e *Entity) canonical() Entity {
	c := *e
	c.Aliases = slices.Clone(e.Aliases)
	sort.Slice(c.Aliases, func(i, j int) bool {
		a, b := c.Aliases[i], c.Aliases[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return !a.Weak && b.Weak
	})
	c.Aliases = slices.Compact(c.Aliases)
	c.BirthDates = sortedSet(e.BirthDates)
	c.PlacesOfBirth = sortedSet(e.PlacesOfBirth)
	c.Countries = sortedSet(e.Countries)
	c.Topics = sortedSet(e.Topics)
	c.Programs = sortedSet(e.Programs)
	c.Addresses = sortedSet(e.Addresses)
	c.Referents = sortedSet(e.Referents)
	c.Identifiers = slices.Clone(e.Identifiers)
	sort.Slice(c.Identifiers, func(i, j int) bool {
		a, b := c.Identifiers[i], c.Identifiers[j]
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		if a.Value != b.Value {
			return a.Value < b.Value
		}
		return a.Country < b.Country
	})
	c.Identifiers = slices.Compact(c.Identifiers)
	return c
}

func sortedSet(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	out := slices.Clone(s)
	slices.Sort(out)
	return slices.Compact(out)
}
