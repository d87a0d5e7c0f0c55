package domain

import (
	"slices"
	"strings"
)

// EventType names something that happened to a record. It is the action of
// an audit event (README, "Personal data and the audit trail") and, for the
// types marked Webhook in the registry, the type of a webhook event.
type EventType string

// Entity types that events are about (AuditEvent.EntityType).
const (
	EntityCustomer     = "customer"
	EntityDocument     = "document"
	EntityCheck        = "check"
	EntityCase         = "case"
	EntityScreeningHit = "screening_hit"
	EntityAlert        = "alert"
	EntityListSnapshot = "list_snapshot"
	EntityUser         = "user"
	EntityClient       = "client"
	// EntityWebhookEndpoint is a registered webhook endpoint;
	// EntityWebhookDelivery the delivery of one event to one endpoint.
	EntityWebhookEndpoint = "webhook_endpoint"
	EntityWebhookDelivery = "webhook_delivery"
)

// Event types. Each is registered below with its entity type, a one-line
// description and whether it is published to webhooks.
const (
	EventCustomerCreated          EventType = "customer.created"
	EventCustomerUpdated          EventType = "customer.updated"
	EventCustomerSubmitted        EventType = "customer.submitted"
	EventCustomerApproved         EventType = "customer.approved"
	EventCustomerRejected         EventType = "customer.rejected"
	EventCustomerInfoRequested    EventType = "customer.info_requested"
	EventCustomerClosed           EventType = "customer.closed"
	EventCustomerStatusChanged    EventType = "customer.status_changed"
	EventCustomerRevealed         EventType = "customer.revealed"
	EventCustomerRead             EventType = "customer.read"
	EventCustomerErasureRequested EventType = "customer.erasure_requested"
	EventCustomerPurged           EventType = "customer.purged"
	EventCustomerExported         EventType = "customer.exported"
	EventCustomerChangeChecked    EventType = "customer.change_checked"
	EventAccessLinkCreated        EventType = "access_link.created"
	EventAccessLinkUsed           EventType = "access_link.used"
	EventApplicantSession         EventType = "applicant.session_started"
	EventDocumentUploaded         EventType = "document.uploaded"
	EventDocumentViewed           EventType = "document.viewed"
	EventCheckPending             EventType = "check.pending"
	EventIdentityCallback         EventType = "check.callback_received"
	EventCheckCompleted           EventType = "check.completed"
	EventRiskAssessed             EventType = "risk.assessed"
	EventReviewDue                EventType = "review.due"
	EventReviewScheduled          EventType = "review.scheduled"
	EventCaseOpened               EventType = "case.opened"
	EventCaseReopened             EventType = "case.reopened"
	EventCaseAssigned             EventType = "case.assigned"
	EventCaseDecided              EventType = "case.decided"
	EventHitCreated               EventType = "screening.hit_created"
	EventHitDispositioned         EventType = "screening_hit.dispositioned"
	EventAlertCreated             EventType = "alert.created"
	EventListImported             EventType = "list.imported"
	EventListRescreened           EventType = "list.rescreened"
	EventHitEntityRemoved         EventType = "screening_hit.entity_removed"
	EventUserCreated              EventType = "user.created"
	EventUserEnabled              EventType = "user.enabled"
	EventUserUpdated              EventType = "user.updated"
	EventUserDisabled             EventType = "user.disabled"
	EventUserPasswordReset        EventType = "user.password_reset"
	EventUserSignInStep           EventType = "user.sign_in_step"
	EventUserSignedIn             EventType = "user.signed_in"
	EventUserSignInFailed         EventType = "user.sign_in_failed"
	EventUserLocked               EventType = "user.locked"
	EventUserSignedOut            EventType = "user.signed_out"
	EventUserTOTPEnrolled         EventType = "user.totp_enrolled"
	EventUserPasswordChanged      EventType = "user.password_changed"
	EventClientCreated            EventType = "client.created"
	EventClientDisabled           EventType = "client.disabled"
	EventClientEnabled            EventType = "client.enabled"
	EventClientSecretRotated      EventType = "client.secret_rotated"
	EventClientDeleted            EventType = "client.deleted"
	EventWebhookEndpointAdded     EventType = "webhook_endpoint.created"
	EventWebhookEndpointGone      EventType = "webhook_endpoint.deleted"
	EventWebhookSecretRotated     EventType = "webhook_endpoint.secret_rotated"
	EventWebhookRetried           EventType = "webhook_delivery.retried"
	EventAlertDispositioned       EventType = "alert.dispositioned"
	EventTransactionsReceived     EventType = "customer.transactions_received"
	EventReportCreated            EventType = "case.report_created"
	EventReportFiled              EventType = "case.report_filed"
	EventRiskOverrideRequested    EventType = "risk_override.requested"
	EventRiskOverrideApproved     EventType = "risk_override.approved"
	EventRiskOverrideRejected     EventType = "risk_override.rejected"
	EventRiskOverrideSuperseded   EventType = "risk_override.superseded"
)

// EventInfo describes one registered event type.
type EventInfo struct {
	// Type is the event's name.
	Type EventType
	// EntityType is the kind of record the event is about; its EntityID
	// names the record.
	EntityType string
	// Description says in one line when the event happens.
	Description string
	// Webhook marks the event types published to webhook subscribers.
	Webhook bool
}

// events is the one registry of event types. The audit trail refuses a type
// that is not registered here, and webhooks publish the ones marked Webhook:
// adding an event is one constant and one entry.
var events = [...]EventInfo{
	{EventCustomerCreated, EntityCustomer, "A customer record was created (API, back office or an applicant's access link).", false},
	{EventCustomerUpdated, EntityCustomer, "A customer's data was changed.", false},
	{EventCustomerSubmitted, EntityCustomer, "A customer was submitted for checks.", true},
	{EventCustomerApproved, EntityCustomer, "A customer was approved automatically by the decision policy; an approval by a case decision is a customer.status_changed (CustomerStatusEvent).", true},
	{EventCustomerRejected, EntityCustomer, "A customer was rejected; recorded as customer.status_changed, published under this name (CustomerStatusEvent).", true},
	{EventCustomerInfoRequested, EntityCustomer, "More information was requested from the applicant; recorded as customer.status_changed, published under this name (CustomerStatusEvent).", true},
	{EventCustomerClosed, EntityCustomer, "A customer relationship was closed; published under this name when a customer.status_changed moves to closed (CustomerStatusEvent).", true},
	{EventCustomerStatusChanged, EntityCustomer, "A customer's status changed (to review, or by a case decision); its meta holds from and to, and CustomerStatusEvent names the webhook event of the new status.", false},
	{EventCustomerRevealed, EntityCustomer, "A staff user revealed a masked section of a customer's personal data.", false},
	{EventCustomerRead, EntityCustomer, "An API client read a customer's personal data (GET by id, or a list page: one event per customer listed, meta via).", false},
	{EventCustomerErasureRequested, EntityCustomer, "A data subject's erasure request was answered: erased (a draft never submitted) or restricted until retention ends (meta outcome).", false},
	{EventCustomerPurged, EntityCustomer, "A customer's personal data and documents were removed (retention ended or an erasure request); meta counts what was removed.", false},
	{EventCustomerChangeChecked, EntityCustomer, "The checks re-run after a change of circumstances concluded: the customer stays approved (outcome kept) or a change_review case opened (outcome case, case_id).", false},
	{EventCustomerExported, EntityCustomer, "A customer's personal data was exported for a data-subject access request.", false},
	{EventAccessLinkCreated, EntityCustomer, "An applicant access link was issued for a customer.", false},
	{EventAccessLinkUsed, EntityCustomer, "An applicant opened an access link.", false},
	{EventApplicantSession, EntityCustomer, "An applicant started onboarding in the hosted pages.", false},
	{EventDocumentUploaded, EntityDocument, "A document image was uploaded for a customer.", false},
	{EventDocumentViewed, EntityDocument, "A document's content was read (meta purpose: download or preview).", false},
	{EventCheckPending, EntityCheck, "An asynchronous identity provider took a check; the check waits for its result.", false},
	{EventIdentityCallback, EntityCheck, "An identity provider's signed callback arrived for a check (meta outcome: accepted, late or replayed; provider, event_id, status).", false},
	{EventCheckCompleted, EntityCheck, "A check of a submission finished (passed, failed, needs review or error).", true},
	{EventRiskAssessed, EntityCustomer, "A customer was scored with the risk model.", false},
	{EventReviewDue, EntityCustomer, "A customer's periodic review fell due.", true},
	{EventReviewScheduled, EntityCustomer, "A review decision kept an approved customer approved and set its next periodic review (meta next_review_at, case_id).", false},
	{EventCaseOpened, EntityCase, "A case was opened for review.", true},
	{EventCaseReopened, EntityCase, "A resubmission went back to the customer's open case.", false},
	{EventCaseAssigned, EntityCase, "A case was assigned or unassigned.", false},
	{EventCaseDecided, EntityCase, "A decision was recorded on a case (including the first half of a four-eyes decision).", true},
	{EventHitCreated, EntityScreeningHit, "A screening match was raised as a hit to review.", true},
	{EventHitDispositioned, EntityScreeningHit, "A screening hit was dispositioned (true match or false positive).", false},
	{EventAlertCreated, EntityAlert, "A transaction-monitoring rule raised an alert.", true},
	{EventAlertDispositioned, EntityAlert, "An alert was dispositioned (false positive or suspicious) with a reason.", false},
	{EventTransactionsReceived, EntityCustomer, "Transactions of a customer were received and monitored (one event per customer and batch; meta: count).", false},
	{EventReportCreated, EntityCase, "A suspicious-transaction report was drafted from a case.", false},
	{EventReportFiled, EntityCase, "A suspicious-transaction report was filed with the FIU (submitted, with its reference).", false},
	{EventRiskOverrideRequested, EntityCustomer, "A risk override of a customer's computed rating was requested, with a reason (meta: override id, rating, computed rating); it waits for an mlro.", false},
	{EventRiskOverrideApproved, EntityCustomer, "An mlro approved a risk override: its rating is in force beside the computed one (meta: override id, rating, due diligence, next_review_at).", false},
	{EventRiskOverrideRejected, EntityCustomer, "An mlro rejected a risk override; the computed rating stays in force.", false},
	{EventRiskOverrideSuperseded, EntityCustomer, "A risk override stopped applying: a new assessment changed the computed rating or floors it was made against, or a later override replaced it (meta: override id, why).", false},
	{EventListImported, EntityListSnapshot, "A sanctions or PEP list snapshot was imported or synced and made active.", false},
	{EventListRescreened, EntityListSnapshot, "The customer book was re-screened against a newly active snapshot's added and changed entities (meta: run, counts of customers, names, hits and cases).", false},
	{EventHitEntityRemoved, EntityScreeningHit, "The list entity of an open screening hit is no longer on its list (meta: the snapshot without it); the hit stays open for a person to disposition.", false},
	{EventUserCreated, EntityUser, "A staff user was created.", false},
	{EventUserEnabled, EntityUser, "A staff user was enabled.", false},
	{EventUserUpdated, EntityUser, "A staff user's role or e-mail address was brought up to date from the identity provider at a single sign-on (meta source, role_from, role_to, email_changed).", false},
	{EventUserDisabled, EntityUser, "A staff user was disabled.", false},
	{EventUserPasswordReset, EntityUser, "An admin reset a staff user's password.", false},
	{EventUserSignInStep, EntityUser, "A staff user passed the password step of sign-in; the second factor is still due.", false},
	{EventUserSignedIn, EntityUser, "A staff user signed in.", false},
	{EventUserSignInFailed, EntityUser, "A staff sign-in attempt failed.", false},
	{EventUserLocked, EntityUser, "A staff user was locked out after repeated failed sign-ins.", false},
	{EventUserSignedOut, EntityUser, "A staff user signed out.", false},
	{EventUserTOTPEnrolled, EntityUser, "A staff user enrolled a TOTP second factor.", false},
	{EventUserPasswordChanged, EntityUser, "A staff user changed their password.", false},
	{EventClientCreated, EntityClient, "An API client was created.", false},
	{EventClientDisabled, EntityClient, "An API client was disabled: it gets no tokens and its tokens are refused.", false},
	{EventClientEnabled, EntityClient, "A disabled API client was enabled again.", false},
	{EventClientSecretRotated, EntityClient, "An API client was given a new secret; the old one and the tokens issued before stop working.", false},
	{EventClientDeleted, EntityClient, "An API client was deleted: it gets no tokens and its tokens are refused.", false},
	{EventWebhookEndpointAdded, EntityWebhookEndpoint, "A webhook endpoint was registered.", false},
	{EventWebhookEndpointGone, EntityWebhookEndpoint, "A webhook endpoint was removed; its pending deliveries stop.", false},
	{EventWebhookSecretRotated, EntityWebhookEndpoint, "A webhook endpoint's signing secret was rotated; the previous one signs too for 24 hours.", false},
	{EventWebhookRetried, EntityWebhookDelivery, "A webhook delivery was sent again by hand.", false},
}

// Events returns every registered event type (a fresh slice).
func Events() []EventInfo { return slices.Clone(events[:]) }

// LookupEvent returns the registered event type of that name.
func LookupEvent(t EventType) (EventInfo, bool) {
	for _, e := range events {
		if e.Type == t {
			return e, true
		}
	}
	return EventInfo{}, false
}

// WebhookEvents returns the event types published to webhook subscribers,
// in registry order.
func WebhookEvents() []EventType {
	var out []EventType
	for _, e := range events {
		if e.Webhook {
			out = append(out, e.Type)
		}
	}
	return out
}

// CustomerStatusEvent maps a customer's new status to the webhook event
// that announces it: a customer.status_changed audit event to approved,
// rejected, info_requested or closed is published under the contract's name
// for it. Other statuses are not announced on their own.
func CustomerStatusEvent(to CustomerStatus) (EventType, bool) {
	switch to {
	case StatusApproved:
		return EventCustomerApproved, true
	case StatusRejected:
		return EventCustomerRejected, true
	case StatusInfoRequested:
		return EventCustomerInfoRequested, true
	case StatusClosed:
		return EventCustomerClosed, true
	}
	return "", false
}

// AllWebhookEvents is the subscription to every webhook event type.
const AllWebhookEvents = "*"

// webhookDataKeys are the audit meta keys that a webhook payload may carry
// beside the keys ending in "_id": statuses, kinds and outcomes, never
// personal data (PRODUCT.md section 7 as summarised in the README,
// "Webhooks": payloads carry ids and statuses). A key that is in neither
// stays in the audit trail only; "reason", free text, is never published.
var webhookDataKeys = map[string]bool{
	"status": true, "from": true, "to": true, "kind": true, "type": true,
	"decision": true, "stage": true, "case_status": true, "rating": true,
	"round": true, "automatic": true, "disposition": true, "rule": true,
	"severity": true, "list": true, "due_at": true,
}

// WebhookPublication says which webhook event, if any, an audit event is
// published as, and the payload data: the record's id under
// "<entity type>_id" and the meta keys that are ids or statuses. A type
// marked Webhook in the registry is published under its own name; a
// customer.status_changed under the name of the new status
// (CustomerStatusEvent), with that status as "status". This is the one
// mapping from the audit trail to webhooks: registering an event type with
// Webhook set and recording it is all it takes to publish it.
func WebhookPublication(action EventType, entityID string, meta map[string]string) (EventType, map[string]string, bool) {
	info, ok := LookupEvent(action)
	if !ok {
		return "", nil, false
	}
	typ := info.Type
	if !info.Webhook {
		if action != EventCustomerStatusChanged {
			return "", nil, false
		}
		if typ, ok = CustomerStatusEvent(CustomerStatus(meta["to"])); !ok {
			return "", nil, false
		}
	}
	data := map[string]string{info.EntityType + "_id": entityID}
	for k, v := range meta {
		if webhookDataKeys[k] || (strings.HasSuffix(k, "_id") && k != info.EntityType+"_id") {
			data[k] = v
		}
	}
	if info.EntityType == EntityCustomer && data["status"] == "" && meta["to"] != "" {
		data["status"] = meta["to"]
	}
	return typ, data, true
}

// IsWebhookEvent reports whether name is a webhook event type a
// subscriber may name.
func IsWebhookEvent(name string) bool {
	info, ok := LookupEvent(EventType(name))
	return ok && info.Webhook
}
