package domain

import "sort"

// The OFAC 50% rule (OFAC, "Revised Guidance on Entities Owned by Persons
// Whose Property and Interests in Property are Blocked", 13 August 2014):
// an entity owned 50% or more, directly or indirectly, individually or in
// the aggregate, by one or more blocked persons is itself blocked, whether
// or not it is named on a list. PRODUCT.md section 2 asks the same of kyc:
// parties confirmed as sanctions matches holding 50% or more effective,
// alone or together, make the customer prohibited.

// BlockedThreshold is the aggregate share (percent) of blocked owners from
// which an entity is blocked (OFAC 2014 guidance: "50 percent or more").
const BlockedThreshold = 50.0

// BlockedStake is one holding of the customer counted by the 50% rule: the
// party nearest to the customer on its chain that is blocked.
type BlockedStake struct {
	// Index is the party's position in Business.RelatedPersons.
	Index int
	// Effective is the share of the customer the stake amounts to, in
	// percent (the product of the shares along the chain).
	Effective float64
	// Derived is true for a related company that is not itself a confirmed
	// match but is blocked because blocked parties own 50% or more of it.
	Derived bool
}

// SanctionedOwnership is the outcome of the 50% rule for a business.
type SanctionedOwnership struct {
	// Share is the aggregate share of the customer held by blocked parties,
	// in percent (each chain counted once, at the blocked party nearest to
	// the customer).
	Share float64
	// Blocked is true when Share reaches BlockedThreshold.
	Blocked bool
	// Stakes are the holdings counted, largest first.
	Stakes []BlockedStake
}

// ApplyFiftyPercentRule applies the OFAC 50% rule to the related parties of a
// business. sanctioned reports whether the party at an index is a confirmed
// sanctions match (a blocked person or entity).
//
// Blocking spreads upward as the guidance describes: a related company is
// blocked when blocked parties own 50% or more of it directly, in the
// aggregate (OFAC's example: X, blocked, owns 50% of A; A owns 50% of B; A
// and B are both blocked, although X's share of B is only 25%). The
// customer's aggregate is then the sum, over every chain, of the effective
// share held by the blocked party nearest to the customer, so that a
// blocked person's indirect share is never counted again beside the
// blocked holding it goes through. Counting effective shares along
// unblocked holdings as well (a blocked person with 30% directly and 40% of
// a holding that owns 60%: 54%) is stricter than OFAC's own examples and is
// what PRODUCT.md asks ("≥ 50% effective, alone or together"). Broken
// chains count for nothing, as in ComputeOwnership.
func ApplyFiftyPercentRule(rps []RelatedPerson, sanctioned func(i int) bool) SanctionedOwnership {
	blocked := make([]bool, len(rps))
	derived := make([]bool, len(rps))
	for i := range rps {
		blocked[i] = sanctioned(i)
	}
	// Spread to related companies until nothing changes (at most one pass
	// per company; loops cannot go on forever since blocked only grows).
	for changed := true; changed; {
		changed = false
		for j, c := range rps {
			if blocked[j] || !c.IsCompany() || c.ID == "" {
				continue
			}
			held := 0.0
			for k, rp := range rps {
				if k != j && blocked[k] && rp.OwnedVia == c.ID {
					held += clampPercent(rp.OwnershipPercent)
				}
			}
			if held+ownershipEpsilon >= BlockedThreshold {
				blocked[j], derived[j], changed = true, true, true
			}
		}
	}
	own := ComputeOwnership(rps)
	var out SanctionedOwnership
	for i := range rps {
		po := own.Parties[i]
		if !blocked[i] || po.Broken || po.Effective <= 0 {
			continue
		}
		nearest := true
		for _, j := range po.Via {
			if blocked[j] {
				nearest = false // counted at the blocked holding
				break
			}
		}
		if !nearest {
			continue
		}
		out.Stakes = append(out.Stakes, BlockedStake{Index: i, Effective: po.Effective, Derived: derived[i]})
		out.Share += po.Effective
	}
	sort.SliceStable(out.Stakes, func(a, b int) bool { return out.Stakes[a].Effective > out.Stakes[b].Effective })
	if out.Share > 100 {
		out.Share = 100
	}
	out.Blocked = out.Share+ownershipEpsilon >= BlockedThreshold
	return out
}
