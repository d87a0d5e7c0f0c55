package domain

import (
	"slices"
	"testing"
)

// TestOFACFiftyPercentRule: OFAC, "Revised Guidance on Entities Owned by
// Persons Whose Property and Interests in Property are Blocked" (13 August
// 2014): an entity owned 50 percent or more, directly or indirectly,
// individually or in the aggregate, by one or more blocked persons is
// itself blocked. PRODUCT.md section 2: confirmed sanctions matches at ≥ 50%
// effective, alone or together, make the customer prohibited.
func TestOFACFiftyPercentRule(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		parties   []RelatedPerson
		sanctions []string // IDs of the confirmed matches
		blocked   bool
		share     float64
		derived   []string // companies blocked without being listed
	}{
		{
			name:      "a confirmed sanctioned owner with 50% directly",
			parties:   []RelatedPerson{party("x", "Xavier", "Blocked", 50, "", RoleUBO, RoleDirector), party("y", "Yara", "Clean", 50, "", RoleUBO)},
			sanctions: []string{"x"}, blocked: true, share: 50,
		},
		{
			name: "two different sanctioned owners with 25% each: 50% in the aggregate",
			parties: []RelatedPerson{party("x", "Xavier", "Blocked", 25, "", RoleUBO, RoleDirector), party("z", "Zora", "Blocked", 25, "", RoleUBO),
				party("y", "Yara", "Clean", 50, "", RoleUBO)},
			sanctions: []string{"x", "z"}, blocked: true, share: 50,
		},
		{
			name:      "49% is not blocked by this rule",
			parties:   []RelatedPerson{party("x", "Xavier", "Blocked", 49, "", RoleUBO), party("y", "Yara", "Clean", 51, "", RoleUBO, RoleDirector)},
			sanctions: []string{"x"}, blocked: false, share: 49,
		},
		{
			name:      "two owners at 24% and 25%: 49% in the aggregate is not blocked",
			parties:   []RelatedPerson{party("x", "Xavier", "Blocked", 24, "", RoleShareholder), party("z", "Zora", "Blocked", 25, "", RoleUBO), party("y", "Yara", "Clean", 51, "", RoleUBO, RoleDirector)},
			sanctions: []string{"x", "z"}, blocked: false, share: 49,
		},
		{
			name: "indirect: a sanctioned person owns 100% of a holding that owns 50% of the customer",
			parties: []RelatedPerson{company("h", "Holding Ltd", 50, ""), party("x", "Xavier", "Blocked", 100, "h", RoleUBO),
				party("y", "Yara", "Clean", 50, "", RoleUBO, RoleDirector)},
			sanctions: []string{"x"}, blocked: true, share: 50, derived: []string{"h"},
		},
		{
			name: "OFAC's example: X owns 50% of A, A owns 50% of the customer: A is blocked, so is the customer (X's effective share is 25%)",
			parties: []RelatedPerson{company("a", "Entity A", 50, ""), party("x", "Xavier", "Blocked", 50, "a", RoleUBO),
				party("y", "Yara", "Clean", 50, "", RoleUBO, RoleDirector)},
			sanctions: []string{"x"}, blocked: true, share: 50, derived: []string{"a"},
		},
		{
			name: "a sanctioned person with 40% of a holding that owns 60%: the holding is not blocked, 24% effective",
			parties: []RelatedPerson{company("h", "Holding Ltd", 60, ""), party("x", "Xavier", "Blocked", 40, "h", RoleShareholder),
				party("y", "Yara", "Clean", 40, "", RoleUBO, RoleDirector)},
			sanctions: []string{"x"}, blocked: false, share: 24,
		},
		{
			name: "together along chains: 30% directly and 40% of a holding that owns 60% is 54% effective",
			parties: []RelatedPerson{company("h", "Holding Ltd", 60, ""), party("x1", "Xavier", "Blocked", 40, "h", RoleUBO),
				party("x2", "Xavier", "Blocked", 30, "", RoleUBO), party("y", "Yara", "Clean", 10, "", RoleDirector)},
			sanctions: []string{"x1", "x2"}, blocked: true, share: 54,
		},
		{
			name: "a listed holding with 40% and its listed owner are counted once: 40%",
			parties: []RelatedPerson{company("h", "Holding Ltd", 40, ""), party("x", "Xavier", "Blocked", 60, "h", RoleShareholder),
				party("y", "Yara", "Clean", 60, "", RoleUBO, RoleDirector)},
			sanctions: []string{"h", "x"}, blocked: false, share: 40,
		},
		{
			name:      "a sanctioned related company owning 50% directly",
			parties:   []RelatedPerson{company("h", "Sanctioned Trading LLC", 50, ""), party("y", "Yara", "Clean", 50, "", RoleUBO, RoleDirector)},
			sanctions: []string{"h"}, blocked: true, share: 50,
		},
		{
			name:      "a sanctioned director who owns nothing is not an owner",
			parties:   []RelatedPerson{party("x", "Xavier", "Blocked", 0, "", RoleDirector), party("y", "Yara", "Clean", 100, "", RoleUBO)},
			sanctions: []string{"x"}, blocked: false, share: 0,
		},
		{
			name:      "no confirmed match: 100% owner is not blocked",
			parties:   []RelatedPerson{party("y", "Yara", "Clean", 100, "", RoleUBO, RoleDirector)},
			sanctions: nil, blocked: false, share: 0,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ApplyFiftyPercentRule(tc.parties, func(i int) bool { return slices.Contains(tc.sanctions, tc.parties[i].ID) })
			if got.Blocked != tc.blocked || !near(got.Share, tc.share) {
				t.Fatalf("blocked %v with %v%%, want %v with %v%% (stakes %+v)", got.Blocked, got.Share, tc.blocked, tc.share, got.Stakes)
			}
			var derived []string
			for _, st := range got.Stakes {
				if st.Derived {
					derived = append(derived, tc.parties[st.Index].ID)
				}
			}
			if !slices.Equal(derived, tc.derived) {
				t.Fatalf("derived blocked companies %v, want %v", derived, tc.derived)
			}
		})
	}
}
