package applicant

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/kyc-platform/kyc/internal/domain"
)

// formRows counts the related persons posted (rows are numbered 0..n-1).
func formRows(form map[string]string) int {
	n := 0
	for k := range form {
		if strings.HasPrefix(k, "related_persons[") {
			i, _ := strconv.Atoi(k[len("related_persons["):strings.IndexByte(k, ']')])
			if i+1 > n {
				n = i + 1
			}
		}
	}
	if n == 0 {
		n = 1
	}
	return n
}

func readPeople(r *http.Request) map[string]string {
	out := map[string]string{}
	n, _ := strconv.Atoi(r.PostFormValue("rows"))
	if n < 1 {
		n = 1
	}
	if n > 50 {
		n = 50
	}
	for i := 0; i < n; i++ {
		for _, f := range personRowFields(i) {
			out[f.Path] = r.PostFormValue(f.Path)
		}
		loc := fmt.Sprintf("related_persons[%d].roles", i)
		out[loc] = strings.Join(r.PostForm[loc], ",")
	}
	return out
}

// editRows adds an empty row or removes row i, renumbering the rest.
func editRows(form map[string]string, action string) map[string]string {
	n := formRows(form)
	if action == "add" {
		form[fmt.Sprintf("related_persons[%d].given_names", n)] = ""
		return form
	}
	del, err := strconv.Atoi(strings.TrimPrefix(action, "remove-"))
	if err != nil || del < 0 || del >= n {
		return form
	}
	out := map[string]string{}
	for k, val := range form {
		i, _ := strconv.Atoi(k[len("related_persons["):strings.IndexByte(k, ']')])
		rest := k[strings.IndexByte(k, ']')+1:]
		if rest == ".owned_via" {
			// A share held through the removed company is now held
			// directly; references to later rows move up by one.
			if j, err := strconv.Atoi(strings.TrimPrefix(val, "#")); err == nil && strings.HasPrefix(val, "#") {
				switch {
				case j == del:
					val = ""
				case j > del:
					val = fmt.Sprintf("#%d", j-1)
				}
			}
		}
		switch {
		case i < del:
			out[k] = val
		case i > del:
			out[fmt.Sprintf("related_persons[%d]%s", i-1, rest)] = val
		}
	}
	if len(out) == 0 {
		out["related_persons[0].given_names"] = ""
	}
	return out
}

// fillPeople builds the rows of the people step from the posted form (when
// showing problems) or the stored data, and returns the id of the first
// input. The owned_via choice lists the other company rows as "#<row>",
// which apply turns into their ids.
func (h *Handler) fillPeople(v *view, st *step, data map[string]any, form map[string]string, errs map[string]string, onPage map[string]bool) string {
	first := ""
	n := 1
	if rp, ok := data["related_persons"].([]any); ok && len(rp) > 0 {
		n = len(rp)
	}
	if form != nil {
		n = formRows(form)
	}
	stored := func(path string) string {
		return displayValue(field{Path: path}, getPath(data, path))
	}
	raw := func(f field) string {
		if form != nil {
			return form[f.Path]
		}
		return displayValue(f, getPath(data, f.Path))
	}
	// Row index of each stored id, for owned_via.
	rowOf := map[string]int{}
	kinds := make([]string, n)
	names := make([]string, n)
	for i := 0; i < n; i++ {
		p := fmt.Sprintf("related_persons[%d]", i)
		if form != nil {
			kinds[i], names[i] = form[p+".kind"], form[p+".legal_name"]
		} else {
			kinds[i], names[i] = stored(p+".kind"), stored(p+".legal_name")
			if id := stored(p + ".id"); id != "" {
				rowOf[id] = i
			}
		}
		if kinds[i] != string(domain.PartyCompany) {
			kinds[i] = string(domain.PartyPerson)
		}
	}
	total := 0.0
	for i := 0; i < n; i++ {
		prefix := fmt.Sprintf("related_persons[%d]", i)
		pv := personView{Index: i, Company: kinds[i] == string(domain.PartyCompany)}
		direct := raw(field{Path: prefix + ".owned_via"}) == ""
		for _, f := range personRowFields(i) {
			val := raw(f)
			switch {
			case strings.HasSuffix(f.Path, ".kind"):
				val = kinds[i]
			case strings.HasSuffix(f.Path, ".owned_via") && form == nil && val != "":
				if j, ok := rowOf[val]; ok {
					val = fmt.Sprintf("#%d", j)
				}
			}
			if f.Kind == kindHidden {
				pv.ID, pv.IDPath = val, f.Path
				continue
			}
			fv := h.fieldView(v.L, st.ID, f, val, errs[f.Path], v.Today)
			onPage[f.Path] = true
			switch partGroup(f.Path) {
			case groupKind:
				pv.Kind = fv
			case groupPerson:
				pv.Person = append(pv.Person, fv)
			case groupCompany:
				pv.CompanyFields = append(pv.CompanyFields, fv)
			case groupOwnership:
				if f.Kind == kindSelect {
					fv.Options = append(fv.Options, optionView{Value: "", Label: v.L.T("people.owned_via.direct"), Checked: val == ""})
					for j := 0; j < n; j++ {
						if j == i || kinds[j] != string(domain.PartyCompany) {
							continue
						}
						label := v.L.T("people.company", j+1)
						if names[j] != "" {
							label += ": " + names[j]
						}
						ref := fmt.Sprintf("#%d", j)
						fv.Options = append(fv.Options, optionView{Value: ref, Label: label, Checked: val == ref})
					}
				} else if direct {
					p, _ := strconv.ParseFloat(strings.ReplaceAll(val, ",", "."), 64)
					total += p
				}
				pv.Ownership = append(pv.Ownership, fv)
			case groupAddress:
				pv.Address = append(pv.Address, fv)
			case groupDocument:
				pv.Document = append(pv.Document, fv)
			}
			if first == "" {
				first = fv.ID
			}
		}
		roles := map[string]bool{}
		if form != nil {
			for _, rl := range strings.Split(form[prefix+".roles"], ",") {
				roles[rl] = true
			}
		} else if arr, ok := getPath(data, prefix+".roles").([]any); ok {
			for _, rl := range arr {
				roles[fmt.Sprint(rl)] = true
			}
		}
		rolesLoc := prefix + ".roles"
		onPage[rolesLoc] = true
		for _, rl := range relatedRoles {
			pv.Roles = append(pv.Roles, optionView{Value: rl, Label: v.L.T("role." + rl), Checked: roles[rl], ID: fieldID(rolesLoc) + "-" + rl})
		}
		pv.Roles[0].ID = fieldID(rolesLoc)
		if e := errs[rolesLoc]; e != "" {
			pv.Error = h.msgAt(v.L, rolesLoc, e)
		}
		for loc, e := range errs {
			if strings.HasPrefix(loc, rolesLoc+"[") && pv.Error == "" {
				pv.Error = h.msgAt(v.L, rolesLoc, e)
			}
		}
		v.People = append(v.People, pv)
	}
	v.OwnerTotal = strconv.FormatFloat(total, 'f', -1, 64)
	return first
}

// personPaths and companyPaths are the fields of a related party that
// belong to one kind only; apply drops those of the other kind, so that
// what a person typed before switching a row's kind is not kept.
var (
	personPaths  = []string{"given_names", "family_name", "birth_date", "nationality", "address", "document", "roles"}
	companyPaths = []string{"legal_name", "registration_number", "incorporation_country"}
)

// applyPeople finishes the related parties that apply wrote from the form:
// each row keeps the fields of its kind, gets an id (the one it had, or a
// new one that stays), and an owned_via naming a row ("#2") becomes that
// row's id.
func applyPeople(m map[string]any) {
	rows, _ := m["related_persons"].([]any)
	for _, r := range rows {
		o, ok := r.(map[string]any)
		if !ok {
			continue
		}
		drop := companyPaths
		if o["kind"] == string(domain.PartyCompany) {
			drop = personPaths
		}
		for _, k := range drop {
			delete(o, k)
		}
		if id, _ := o["id"].(string); id == "" {
			delete(o, "id")
		}
	}
}

// resolveOwnedVia turns the "#<row>" references of the people step into
// the ids of those rows, after every row has an id.
func resolveOwnedVia(prev []domain.RelatedPerson, rps []domain.RelatedPerson) {
	domain.AssignPartyIDs(prev, rps)
	for i := range rps {
		ref, ok := strings.CutPrefix(rps[i].OwnedVia, "#")
		if !ok {
			continue
		}
		j, err := strconv.Atoi(ref)
		if err != nil || j < 0 || j >= len(rps) {
			rps[i].OwnedVia = ""
			continue
		}
		rps[i].OwnedVia = rps[j].ID
	}
}
