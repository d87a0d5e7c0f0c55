package staff

import (
	"fmt"

	"github.com/kyc-platform/kyc/internal/domain"
)

// ownershipDiagram is the picture of a business's ownership on the case
// page: the customer at the top, each holding one row further down by its
// distance from the customer, an arrow from each holder to what it holds
// labelled with the share, and the control persons who hold nothing in a
// row of their own. Chains lists the same in words for those who cannot
// see the picture (domain.Ownership.ChainText).
type ownershipDiagram struct {
	Width, Height int
	Nodes         []diagramNode
	Edges         []diagramEdge
	Chains        []string
}

type diagramNode struct {
	X, Y, W, H int
	// CX is the middle of the box, T1 and T2 the baselines of its lines.
	CX, T1, T2 int
	// Label is the name (a person's short name, a company's legal name),
	// Sub the roles or the effective share.
	Label, Sub string
	// Kind is customer, company, ubo, person or control (for the style).
	Kind string
}

type diagramEdge struct {
	X1, Y1, X2, Y2 int
	// LX, LY place the label (the share) at the middle of the arrow.
	LX, LY int
	Label  string
	Dashed bool // a control role, not a share
}

const (
	nodeW, nodeH = 168, 46
	colGap       = 24
	rowGap       = 64
	margin       = 12
)

// newOwnershipDiagram lays out the diagram of a business; nil for a
// customer that is not one or has no related parties.
func newOwnershipDiagram(c *domain.Customer) *ownershipDiagram {
	b := c.Data.Business
	if b == nil || len(b.RelatedPersons) == 0 {
		return nil
	}
	rps := b.RelatedPersons
	own := domain.ComputeOwnership(rps)
	// Rows: 0 the customer, then by layer; a party with no share and a
	// control role goes to the last row; one with neither is left out.
	row := make([]int, len(rps))
	maxLayer := 0
	for i, po := range own.Parties {
		if po.Layers > 0 && !po.Broken {
			row[i] = po.Layers
			maxLayer = max(maxLayer, po.Layers)
		}
	}
	controlRow := maxLayer + 1
	var rows [][]int
	place := func(r, i int) {
		for len(rows) <= r {
			rows = append(rows, nil)
		}
		rows[r] = append(rows[r], i)
	}
	hasControlOnly := false
	for i, rp := range rps {
		switch {
		case row[i] > 0:
			place(row[i], i)
		case rp.IsControlPerson():
			row[i] = controlRow
			place(controlRow, i)
			hasControlOnly = true
		default:
			row[i] = -1
		}
	}
	nrows := maxLayer + 1
	if hasControlOnly {
		nrows = controlRow + 1
	}
	widest := 1
	for _, r := range rows {
		widest = max(widest, len(r))
	}
	d := &ownershipDiagram{
		Width:  margin*2 + widest*nodeW + (widest-1)*colGap,
		Height: margin*2 + nrows*nodeH + (nrows-1)*rowGap,
	}
	pos := map[int][2]int{} // party index → x, y of its box; -1 the customer
	rowY := func(r int) int { return margin + r*(nodeH+rowGap) }
	center := func(n int) int { return (d.Width - (n*nodeW + (n-1)*colGap)) / 2 }
	cx := center(1)
	pos[-1] = [2]int{cx, rowY(0)}
	d.Nodes = append(d.Nodes, diagramNode{X: cx, Y: rowY(0), W: nodeW, H: nodeH, Label: truncate(b.LegalName, 24), Sub: "customer", Kind: "customer"})
	for r, idx := range rows {
		if r == 0 {
			continue
		}
		x0 := center(len(idx))
		for k, i := range idx {
			x, y := x0+k*(nodeW+colGap), rowY(r)
			pos[i] = [2]int{x, y}
			rp := rps[i]
			n := diagramNode{X: x, Y: y, W: nodeW, H: nodeH, Label: truncate(rp.Name(), 24)}
			switch {
			case rp.IsCompany():
				n.Kind, n.Sub = "company", "company"
			case rp.HasRole(domain.RoleUBO):
				n.Kind, n.Sub = "ubo", "beneficial owner"
			case rp.IsControlPerson():
				n.Kind, n.Sub = "control", rp.RoleLabel()
			default:
				n.Kind, n.Sub = "person", rp.RoleLabel()
			}
			if po := own.Parties[i]; po.Layers > 1 && !rp.IsCompany() {
				n.Sub += fmt.Sprintf(" · %s%% effective", domain.FormatPercent(po.Effective))
			}
			d.Nodes = append(d.Nodes, n)
		}
	}
	byID := map[string]int{}
	for i, rp := range rps {
		if rp.ID != "" {
			byID[rp.ID] = i
		}
	}
	for i, rp := range rps {
		if row[i] <= 0 {
			continue
		}
		from := pos[i]
		to, label, dashed := pos[-1], domain.FormatPercent(rp.OwnershipPercent)+"%", false
		if row[i] == controlRow && own.Parties[i].Layers == 0 {
			label, dashed = rp.RoleLabel(), true
		} else if j, ok := byID[rp.OwnedVia]; ok && rp.OwnedVia != "" {
			if p, ok := pos[j]; ok {
				to = p
			}
		}
		x1, y1 := from[0]+nodeW/2, from[1]
		x2, y2 := to[0]+nodeW/2, to[1]+nodeH
		d.Edges = append(d.Edges, diagramEdge{X1: x1, Y1: y1, X2: x2, Y2: y2, LX: (x1 + x2) / 2, LY: (y1+y2)/2 + 4, Label: label, Dashed: dashed})
		if !dashed {
			d.Chains = append(d.Chains, own.ChainText(rps, i, b.LegalName))
		}
	}
	for k := range d.Nodes {
		n := &d.Nodes[k]
		n.CX, n.T1, n.T2 = n.X+n.W/2, n.Y+19, n.Y+36
	}
	return d
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
