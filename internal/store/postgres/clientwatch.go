package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/kyc-platform/kyc/internal/store"
)

// clientsChannel is where the trigger of migration 00200 announces every
// change to api_clients, with "schema id" as the payload.
const clientsChannel = "kyc_api_clients"

var _ store.ClientWatcher = (*DB)(nil)

// WatchClients listens on a connection of its own (not one of the pool's,
// which would be held for the life of the process) for the changes the
// trigger of migration 00200 announces, and reports those of this
// schema. PostgreSQL delivers a notification when the transaction that
// sent it commits, to every session that was listening at that moment.
func (d *DB) WatchClients(ctx context.Context, ready func(), changed func(clientID string)) error {
	conn, err := pgx.ConnectConfig(ctx, d.pool.Config().ConnConfig.Copy())
	if err != nil {
		return fmt.Errorf("postgres: watch clients: %w", err)
	}
	defer conn.Close(context.Background())
	var schema string
	if err := conn.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return fmt.Errorf("postgres: watch clients: %w", err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+clientsChannel); err != nil {
		return fmt.Errorf("postgres: watch clients: %w", err)
	}
	ready()
	prefix := schema + " "
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return fmt.Errorf("postgres: watch clients: %w", err)
		}
		if id, ok := strings.CutPrefix(n.Payload, prefix); ok {
			changed(id)
		}
	}
}
