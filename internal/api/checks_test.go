package api_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/kyc-platform/kyc/internal/api"
	"github.com/kyc-platform/kyc/internal/app"
)

// TestCheckTypeEnumIsTheRegistry checks that the check types the OpenAPI
// document lists are the registered ones (app.CheckTypes), in order, and
// that ChecksOut names each of them.
func TestCheckTypeEnumIsTheRegistry(t *testing.T) {
	t.Parallel()
	var want []string
	for _, ty := range app.CheckTypes() {
		want = append(want, string(ty))
	}
	doc := served(t, setup(t, "sqlite"))
	for _, schema := range []string{"Check", "ExportCheck"} {
		if got := doc.enum(schema, "type"); !slices.Equal(got, want) {
			t.Errorf("%s.type enum %v, registered check types %v", schema, got, want)
		}
	}
	out := reflect.TypeOf(api.ChecksOut{})
	for _, ty := range want {
		found := false
		for i := 0; i < out.NumField(); i++ {
			if strings.Split(out.Field(i).Tag.Get("json"), ",")[0] == ty {
				found = true
			}
		}
		if !found {
			t.Errorf("api.ChecksOut has no field for check type %s", ty)
		}
	}
}
