package domain

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Ownership of a business over chains of related companies (README, "Businesses
// and their owners"). A related party holds OwnershipPercent of the
// customer, or of the related company its OwnedVia names; its effective
// share of the customer is the product of the percentages along its chain
// (EU AMLR 2024/1624 art. 52: indirect ownership is computed by multiplying
// along each chain and adding the chains), and a natural person who appears
// more than once (a direct share and one through a holding) holds the sum of
// the chains. The computation is pure and never fails: a chain that cannot
// be followed (an unknown OwnedVia, a person named as OwnedVia, a loop) is
// marked Broken and counts for nothing, and validation reports it.

// ownershipEpsilon absorbs the rounding of float percentages (30.000000001).
const ownershipEpsilon = 1e-9

// PartyOwnership is the computed ownership of one related party.
type PartyOwnership struct {
	// Index is the party's position in Business.RelatedPersons.
	Index int
	// Effective is the share of the customer the party holds through its
	// chain, in percent (0 when it holds none or the chain is broken).
	Effective float64
	// Layers counts the holdings from the customer down to the party: 1 for
	// a share held directly, 2 through one related company, and so on; 0
	// when the party holds no share or its chain is broken.
	Layers int
	// Via lists the indexes of the related companies between the party and
	// the customer, nearest to the party first.
	Via []int
	// Broken is true when the chain cannot be followed to the customer.
	Broken bool
	// InCycle is true when the party's own chain loops back to it.
	InCycle bool
}

// Owner is one natural person of the business's ownership, with the shares
// of every entry for them added up.
type Owner struct {
	// Indexes are the related-party entries of this person (one per chain).
	Indexes []int
	// Effective is the person's total effective share of the customer, in
	// percent.
	Effective float64
}

// Ownership is the ownership structure of a business, computed from its
// related parties.
type Ownership struct {
	// Parties has one entry per related party, in the same order.
	Parties []PartyOwnership
	// Owners are the natural persons holding a share, largest first.
	Owners []Owner
	// Layers is the depth of the deepest chain (0 with no shares at all).
	Layers int
}

// ComputeOwnership computes effective ownership along every chain of the
// related parties (EU AMLR art. 52; 31 CFR 1010.230(d)(1) counts direct and
// indirect ownership): "a person with 50% of a holding that owns 60% of the
// customer: 30% effective".
func ComputeOwnership(rps []RelatedPerson) Ownership {
	byID := make(map[string]int, len(rps))
	for i, rp := range rps {
		if rp.ID != "" {
			if _, dup := byID[rp.ID]; !dup {
				byID[rp.ID] = i
			}
		}
	}
	out := Ownership{Parties: make([]PartyOwnership, len(rps))}
	for i, rp := range rps {
		po := PartyOwnership{Index: i}
		factor, layers := 1.0, 1
		seen := map[int]bool{i: true}
		for via := rp.OwnedVia; via != ""; {
			j, ok := byID[via]
			if !ok || !rps[j].IsCompany() {
				po.Broken = true
				break
			}
			if seen[j] {
				po.Broken = true
				po.InCycle = j == i
				break
			}
			seen[j] = true
			po.Via = append(po.Via, j)
			factor *= clampPercent(rps[j].OwnershipPercent) / 100
			layers++
			via = rps[j].OwnedVia
		}
		pct := clampPercent(rp.OwnershipPercent)
		if !po.Broken && pct > 0 {
			po.Effective = pct * factor
			po.Layers = layers
			if layers > out.Layers {
				out.Layers = layers
			}
		}
		out.Parties[i] = po
	}
	// A party leading into a loop is broken too, but only the parties on the
	// loop are InCycle: follow each chain once more to mark them.
	for i := range rps {
		if out.Parties[i].Broken && !out.Parties[i].InCycle {
			for j := range onLoop(rps, byID, i) {
				out.Parties[j].InCycle = true
			}
		}
	}
	groups := map[string]int{}
	for i, rp := range rps {
		if rp.IsCompany() || out.Parties[i].Effective <= 0 {
			continue
		}
		key := personKey(rp, i)
		g, ok := groups[key]
		if !ok {
			g = len(out.Owners)
			groups[key] = g
			out.Owners = append(out.Owners, Owner{})
		}
		out.Owners[g].Indexes = append(out.Owners[g].Indexes, i)
		out.Owners[g].Effective += out.Parties[i].Effective
	}
	sort.SliceStable(out.Owners, func(a, b int) bool { return out.Owners[a].Effective > out.Owners[b].Effective })
	return out
}

// onLoop returns the parties on the loop that the chain of party i runs
// into, if any.
func onLoop(rps []RelatedPerson, byID map[string]int, i int) map[int]bool {
	order := map[int]int{i: 0}
	path := []int{i}
	for via := rps[i].OwnedVia; via != ""; {
		j, ok := byID[via]
		if !ok || !rps[j].IsCompany() {
			return nil
		}
		if at, seen := order[j]; seen {
			loop := map[int]bool{}
			for _, k := range path[at:] {
				loop[k] = true
			}
			return loop
		}
		order[j] = len(path)
		path = append(path, j)
		via = rps[j].OwnedVia
	}
	return nil
}

// personKey identifies a natural person across entries: the folded full
// name and the birth date. An entry without both stands alone.
func personKey(rp RelatedPerson, i int) string {
	name := FoldName(rp.FullName())
	if name == "" || rp.BirthDate == "" {
		return "#" + strconv.Itoa(i)
	}
	return name + "|" + rp.BirthDate
}

func clampPercent(p float64) float64 {
	if math.IsNaN(p) || p < 0 {
		return 0
	}
	if p > 100 {
		return 100
	}
	return p
}

// OwnerOf returns the owner entry of the natural person at index i, and
// whether the person holds a share.
func (o Ownership) OwnerOf(i int) (Owner, bool) {
	for _, ow := range o.Owners {
		for _, j := range ow.Indexes {
			if j == i {
				return ow, true
			}
		}
	}
	return Owner{}, false
}

// HasBeneficialOwner reports whether a natural person holds at least
// threshold percent effective (UBOThreshold for the rules).
func (o Ownership) HasBeneficialOwner(threshold float64) bool {
	return len(o.Owners) > 0 && o.Owners[0].Effective+ownershipEpsilon >= threshold
}

// Business parties in the roles the rules name.

// Party returns the related party with that ID.
func (b *Business) Party(id string) (RelatedPerson, bool) {
	for _, rp := range b.RelatedPersons {
		if rp.ID == id && id != "" {
			return rp, true
		}
	}
	return RelatedPerson{}, false
}

// BeneficialOwners returns the indexes of the natural persons recorded as
// beneficial owners: those with the role ubo or holding UBOThreshold percent
// or more effective; when there is none, the senior managing officials (EU
// 2024/1624 art. 51–53, REFERENCE.md; 31 CFR 1010.230 records a control person).
func (b *Business) BeneficialOwners() []int {
	own := ComputeOwnership(b.RelatedPersons)
	var out []int
	for i, rp := range b.RelatedPersons {
		if rp.IsCompany() {
			continue
		}
		if rp.HasRole(RoleUBO) {
			out = append(out, i)
			continue
		}
		if ow, ok := own.OwnerOf(i); ok && ow.Effective+ownershipEpsilon >= UBOThreshold {
			out = append(out, i)
		}
	}
	if len(out) > 0 {
		return out
	}
	for i, rp := range b.RelatedPersons {
		if !rp.IsCompany() && rp.HasRole(RoleSeniorManagingOfficial) {
			out = append(out, i)
		}
	}
	return out
}

// ToVerify returns the indexes of the related persons whose identity is
// verified like an individual customer's: every beneficial owner (see
// BeneficialOwners) and every control person, each once, in list order
// (README, "Businesses and their owners").
func (b *Business) ToVerify() []int {
	set := map[int]bool{}
	for _, i := range b.BeneficialOwners() {
		set[i] = true
	}
	for i, rp := range b.RelatedPersons {
		if rp.IsControlPerson() {
			set[i] = true
		}
	}
	out := make([]int, 0, len(set))
	for i := range b.RelatedPersons {
		if set[i] {
			out = append(out, i)
		}
	}
	return out
}

// ChainText describes the chain of party i for people who cannot see the
// diagram: "Ali R. → 50% of Holding GmbH → 60% of the customer: 30%
// effective". customer names the customer.
func (o Ownership) ChainText(rps []RelatedPerson, i int, customer string) string {
	po := o.Parties[i]
	var b strings.Builder
	b.WriteString(rps[i].ShortName())
	holder := rps[i]
	for _, j := range po.Via {
		fmt.Fprintf(&b, " → %s%% of %s", FormatPercent(holder.OwnershipPercent), rps[j].LegalName)
		holder = rps[j]
	}
	fmt.Fprintf(&b, " → %s%% of %s", FormatPercent(holder.OwnershipPercent), customer)
	if len(po.Via) > 0 {
		fmt.Fprintf(&b, ": %s%% effective", FormatPercent(po.Effective))
	}
	return b.String()
}

// FormatPercent formats a percentage with at most two decimals and no
// trailing zeros ("30", "12.5", "33.33").
func FormatPercent(p float64) string {
	return strconv.FormatFloat(math.Round(p*100)/100, 'f', -1, 64)
}

// AssignPartyIDs gives every related party without an ID one that stays
// stable across edits: the ID of the party in prev that is the same party
// (a person of the same name and birth date, a company of the same legal
// name and registration number) and whose ID next does not use yet, or else
// the first free "rpN". Callers' own IDs are kept as they are (validation
// checks them).
func AssignPartyIDs(prev, next []RelatedPerson) {
	used := map[string]bool{}
	for _, rp := range next {
		if rp.ID != "" {
			used[rp.ID] = true
		}
	}
	identity := func(rp RelatedPerson) string {
		if rp.IsCompany() {
			return "c|" + FoldName(rp.LegalName) + "|" + strings.ToUpper(strings.Join(strings.Fields(rp.RegistrationNumber), ""))
		}
		return "p|" + FoldName(rp.FullName()) + "|" + rp.BirthDate
	}
	n := 1
	for i := range next {
		if next[i].ID != "" {
			continue
		}
		key := identity(next[i])
		for _, p := range prev {
			if p.ID != "" && !used[p.ID] && identity(p) == key {
				next[i].ID = p.ID
				break
			}
		}
		for next[i].ID == "" {
			id := "rp" + strconv.Itoa(n)
			n++
			if !used[id] {
				next[i].ID = id
			}
		}
		used[next[i].ID] = true
	}
}
