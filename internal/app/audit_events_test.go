package app

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/domain"
)

// TestRecordRefusesUnregisteredEvent checks that the audit trail records
// only event types registered in domain.Events.
func TestRecordRefusesUnregisteredEvent(t *testing.T) {
	t.Parallel()
	l := &AuditLog{d: &Deps{}}
	for _, ty := range []domain.EventType{"", "customer.deleted", "Customer.Created"} {
		// The type is checked before the transaction is touched.
		err := l.record(context.Background(), nil, auditEntry{Actor: domain.SystemActor("test"), Action: ty, EntityID: "x"})
		if err == nil || !strings.Contains(err.Error(), "not registered") {
			t.Errorf("record(%q) = %v; want a refusal", ty, err)
		}
	}
}

// TestAuditActionsAreRegisteredConstants reads the source of this package
// and fails on an audit action written as a string literal or an event type
// made by conversion: every action must be a constant of the domain.Events
// registry.
func TestAuditActionsAreRegisteredConstants(t *testing.T) {
	t.Parallel()
	paths, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if n.Kind != token.STRING {
					return true
				}
				if s, err := strconv.Unquote(n.Value); err == nil {
					if _, ok := domain.LookupEvent(domain.EventType(s)); ok {
						t.Errorf("%s: event type %q written as a string; use its domain constant", fset.Position(n.Pos()), s)
					}
				}
			case *ast.CallExpr:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "EventType" {
					t.Errorf("%s: an event type made by conversion; register it in domain.Events", fset.Position(n.Pos()))
				}
			case *ast.CompositeLit:
				if id, ok := n.Type.(*ast.Ident); !ok || id.Name != "auditEntry" {
					return true
				}
				for _, el := range n.Elts {
					kv, ok := el.(*ast.KeyValueExpr)
					if !ok {
						continue
					}
					if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Action" {
						checked++
						if lit, ok := kv.Value.(*ast.BasicLit); ok {
							t.Errorf("%s: audit action %s written as a literal; use a domain.Event constant", fset.Position(lit.Pos()), lit.Value)
						}
					}
				}
			}
			return true
		})
	}
	if checked < 20 {
		t.Fatalf("found only %d audit entries; is the test reading the app package?", checked)
	}
}
