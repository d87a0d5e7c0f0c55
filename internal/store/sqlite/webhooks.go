package sqlite

// Shared by both engines: `make generate` copies this file to ../postgres
// (see repos.go); edit it here only.

import (
	"context"
	"slices"
	"time"

	"github.com/kyc-platform/kyc/internal/store"
	gen "github.com/kyc-platform/kyc/internal/store/sqlite/sqlitedb"
)

// webhooks implements store.Webhooks.
type webhooks repos

func (r webhooks) CreateEndpoint(ctx context.Context, e store.WebhookEndpointRecord) error {
	r.changed()
	return mapErr(r.q.CreateWebhookEndpoint(ctx, gen.CreateWebhookEndpointParams{
		ID:             e.ID,
		Tenant:         e.Tenant,
		Url:            e.URL,
		Description:    e.Description,
		EventTypes:     e.EventTypes,
		Secret:         notNil(e.Secret),
		PreviousSecret: e.PreviousSecret,
		PreviousUntil:  ntsIn(e.PreviousUntil),
		CreatedBy:      e.CreatedBy,
		CreatedAt:      tsIn(e.CreatedAt),
		UpdatedAt:      tsIn(e.UpdatedAt),
		DeletedAt:      ntsIn(e.DeletedAt),
	}))
}

func endpointOut(e gen.WebhookEndpoint) store.WebhookEndpointRecord {
	return store.WebhookEndpointRecord{
		ID:             e.ID,
		Tenant:         e.Tenant,
		URL:            e.Url,
		Description:    e.Description,
		EventTypes:     e.EventTypes,
		Secret:         e.Secret,
		PreviousSecret: e.PreviousSecret,
		PreviousUntil:  ntsOut(e.PreviousUntil),
		CreatedBy:      e.CreatedBy,
		CreatedAt:      tsOut(e.CreatedAt),
		UpdatedAt:      tsOut(e.UpdatedAt),
		DeletedAt:      ntsOut(e.DeletedAt),
	}
}

func (r webhooks) GetEndpoint(ctx context.Context, id string) (store.WebhookEndpointRecord, error) {
	e, err := r.q.GetWebhookEndpoint(ctx, id)
	if err != nil {
		return store.WebhookEndpointRecord{}, mapErr(err)
	}
	return endpointOut(e), nil
}

// ListEndpoints reads a tenant's endpoints; a transaction reads them once
// (every audited change publishes through them) until it changes one.
func (r webhooks) ListEndpoints(ctx context.Context, tenant string) ([]store.WebhookEndpointRecord, error) {
	if r.st != nil {
		if eps, ok := r.st.endpoints[tenant]; ok {
			return slices.Clone(eps), nil
		}
	}
	var rows []gen.WebhookEndpoint
	var err error
	if tenant != "" {
		// Its own statement: PostgreSQL plans ListWebhookEndpoints's
		// "every tenant" alternative on each call.
		rows, err = r.q.ListTenantWebhookEndpoints(ctx, tenant)
	} else {
		rows, err = r.q.ListWebhookEndpoints(ctx, tenant)
	}
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]store.WebhookEndpointRecord, len(rows))
	for i, e := range rows {
		out[i] = endpointOut(e)
	}
	if r.st != nil {
		if r.st.endpoints == nil {
			r.st.endpoints = map[string][]store.WebhookEndpointRecord{}
		}
		r.st.endpoints[tenant] = slices.Clone(out)
	}
	return out, nil
}

// changed forgets the endpoints the transaction has read.
func (r webhooks) changed() {
	if r.st != nil {
		r.st.endpoints = nil
	}
}

func (r webhooks) UpdateSecret(ctx context.Context, id string, secret, previous []byte, previousUntil *time.Time, at time.Time) error {
	r.changed()
	return rowsOrNotFound(r.q.UpdateWebhookEndpointSecret(ctx, gen.UpdateWebhookEndpointSecretParams{
		Secret: notNil(secret), PreviousSecret: previous, PreviousUntil: ntsIn(previousUntil), UpdatedAt: tsIn(at), ID: id,
	}))
}

func (r webhooks) DeleteEndpoint(ctx context.Context, id string, at time.Time) error {
	r.changed()
	return rowsOrNotFound(r.q.DeleteWebhookEndpoint(ctx, gen.DeleteWebhookEndpointParams{DeletedAt: ntsIn(&at), ID: id}))
}

func (r webhooks) CreateEvent(ctx context.Context, e store.WebhookEventRecord) error {
	return mapErr(r.q.CreateWebhookEvent(ctx, gen.CreateWebhookEventParams{
		ID: e.ID, Tenant: e.Tenant, Type: e.Type, Payload: string(e.Payload), CreatedAt: tsIn(e.CreatedAt),
	}))
}

func (r webhooks) GetEvent(ctx context.Context, id string) (store.WebhookEventRecord, error) {
	e, err := r.q.GetWebhookEvent(ctx, id)
	if err != nil {
		return store.WebhookEventRecord{}, mapErr(err)
	}
	return store.WebhookEventRecord{ID: e.ID, Tenant: e.Tenant, Type: e.Type, Payload: []byte(e.Payload), CreatedAt: tsOut(e.CreatedAt)}, nil
}

func (r webhooks) CreateDelivery(ctx context.Context, d store.WebhookDeliveryRecord) error {
	return mapErr(r.q.CreateWebhookDelivery(ctx, gen.CreateWebhookDeliveryParams{
		ID:             d.ID,
		Tenant:         d.Tenant,
		EventID:        d.EventID,
		EndpointID:     d.EndpointID,
		EventType:      d.EventType,
		Status:         d.Status,
		Attempts:       int64(d.Attempts),
		NextAttemptAt:  ntsIn(d.NextAttemptAt),
		LastAttemptAt:  ntsIn(d.LastAttemptAt),
		LastStatusCode: int64(d.LastStatusCode),
		LastError:      d.LastError,
		CreatedAt:      tsIn(d.CreatedAt),
		UpdatedAt:      tsIn(d.UpdatedAt),
	}))
}

func deliveryOut(d gen.WebhookDelivery) store.WebhookDeliveryRecord {
	return store.WebhookDeliveryRecord{
		ID:             d.ID,
		Tenant:         d.Tenant,
		EventID:        d.EventID,
		EndpointID:     d.EndpointID,
		EventType:      d.EventType,
		Status:         d.Status,
		Attempts:       int(d.Attempts),
		NextAttemptAt:  ntsOut(d.NextAttemptAt),
		LastAttemptAt:  ntsOut(d.LastAttemptAt),
		LastStatusCode: int(d.LastStatusCode),
		LastError:      d.LastError,
		CreatedAt:      tsOut(d.CreatedAt),
		UpdatedAt:      tsOut(d.UpdatedAt),
	}
}

func (r webhooks) GetDelivery(ctx context.Context, id string) (store.WebhookDeliveryRecord, error) {
	d, err := r.q.GetWebhookDelivery(ctx, id)
	if err != nil {
		return store.WebhookDeliveryRecord{}, mapErr(err)
	}
	return deliveryOut(d), nil
}

func (r webhooks) UpdateDelivery(ctx context.Context, d store.WebhookDeliveryRecord, oldAttempts int, oldStatus string) error {
	n, err := r.q.UpdateWebhookDelivery(ctx, gen.UpdateWebhookDeliveryParams{
		Status:         d.Status,
		Attempts:       int64(d.Attempts),
		NextAttemptAt:  ntsIn(d.NextAttemptAt),
		LastAttemptAt:  ntsIn(d.LastAttemptAt),
		LastStatusCode: int64(d.LastStatusCode),
		LastError:      d.LastError,
		UpdatedAt:      tsIn(d.UpdatedAt),
		ID:             d.ID,
		OldAttempts:    int64(oldAttempts),
		OldStatus:      oldStatus,
	})
	if err != nil || n > 0 {
		return mapErr(err)
	}
	if _, err := r.q.GetWebhookDelivery(ctx, d.ID); err != nil {
		return mapErr(err)
	}
	return store.ErrConflict
}

func (r webhooks) ListDeliveries(ctx context.Context, f store.WebhookDeliveryFilter) ([]store.WebhookDeliveryRecord, error) {
	rows, err := r.q.ListWebhookDeliveries(ctx, gen.ListWebhookDeliveriesParams{
		EndpointID: f.EndpointID, Tenant: f.Tenant, Status: f.Status, BeforeID: f.BeforeID, Lim: limit(f.Limit),
	})
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]store.WebhookDeliveryRecord, len(rows))
	for i, d := range rows {
		out[i] = deliveryOut(d)
	}
	return out, nil
}

func (r webhooks) CountDeliveries(ctx context.Context, f store.WebhookDeliveryFilter) (int64, error) {
	n, err := r.q.CountWebhookDeliveries(ctx, gen.CountWebhookDeliveriesParams{
		EndpointID: f.EndpointID, Tenant: f.Tenant, Status: f.Status,
	})
	return n, mapErr(err)
}

func (r webhooks) AddAttempt(ctx context.Context, a store.WebhookAttemptRecord) error {
	return mapErr(r.q.AddWebhookAttempt(ctx, gen.AddWebhookAttemptParams{
		DeliveryID: a.DeliveryID,
		Attempt:    int64(a.Attempt),
		StartedAt:  tsIn(a.StartedAt),
		StatusCode: int64(a.StatusCode),
		DurationUs: a.Duration.Microseconds(),
		Error:      a.Error,
		Manual:     a.Manual,
	}))
}

func (r webhooks) ListAttempts(ctx context.Context, deliveryID string) ([]store.WebhookAttemptRecord, error) {
	rows, err := r.q.ListWebhookAttempts(ctx, deliveryID)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]store.WebhookAttemptRecord, len(rows))
	for i, a := range rows {
		out[i] = store.WebhookAttemptRecord{
			DeliveryID: a.DeliveryID,
			Attempt:    int(a.Attempt),
			StartedAt:  tsOut(a.StartedAt),
			StatusCode: int(a.StatusCode),
			Duration:   time.Duration(a.DurationUs) * time.Microsecond,
			Error:      a.Error,
			Manual:     a.Manual,
		}
	}
	return out, nil
}
