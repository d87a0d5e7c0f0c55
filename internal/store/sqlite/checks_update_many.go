package sqlite

import (
	"context"

	"github.com/kyc-platform/kyc/internal/store"
)

// UpdateMany writes checks one by one: SQLite runs in the process, so a
// statement costs no round trip and one a check is as cheap as a batch.
func (r checks) UpdateMany(ctx context.Context, cs []store.CheckRecord) error {
	for _, c := range cs {
		if err := r.Update(ctx, c); err != nil {
			return err
		}
	}
	return nil
}
