package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kyc-platform/kyc/internal/app"
	"github.com/kyc-platform/kyc/internal/domain"
	"github.com/kyc-platform/kyc/internal/kyctest"
	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/vault"
)

// writeCustomers creates n customers and updates each once, sequentially,
// and returns their ids; errors go to t.Error (it runs in goroutines).
func writeCustomers(t *testing.T, h *kyctest.Bundle, n int) []string {
	var ids []string
	for range n {
		c, err := h.App.Customers.Create(h.Ctx, kyctest.Client, app.CreateCustomerInput{Type: domain.CustomerIndividual, Data: kyctest.Individual()})
		if err != nil {
			t.Error(err)
			return ids
		}
		if _, err := h.App.Customers.Update(h.Ctx, kyctest.Client, c.ID, func(d domain.CustomerData) (domain.CustomerData, error) {
			d.Individual.Occupation = "Nurse"
			return d, nil
		}); err != nil {
			t.Error(err)
			return ids
		}
		ids = append(ids, c.ID)
	}
	return ids
}

// replica is another process's application over the same database.
func replica(h *kyctest.Bundle) *app.App { return app.New(h.Deps()) }

// sealers runs sealing loops like those of three replicas, the first one
// killed at random points of its rounds (its context ends mid-round, so
// its transaction dies as a killed process's would), until stop; it
// returns how many rounds were killed.
func sealers(t *testing.T, h *kyctest.Bundle, stop <-chan struct{}) (wait func() int64) {
	var wg sync.WaitGroup
	var killed atomic.Int64
	for i := range 3 {
		a := replica(h)
		wg.Go(func() {
			for {
				ctx, cancel := h.Ctx, context.CancelFunc(func() {})
				if i == 0 {
					ctx, cancel = context.WithTimeout(h.Ctx, time.Duration(rand.IntN(4000))*time.Microsecond)
				}
				_, err := a.Audit.Seal(ctx, 1+rand.IntN(6))
				cancel()
				switch {
				case err != nil && ctx.Err() != nil:
					killed.Add(1)
				case err != nil:
					t.Errorf("sealer %d: %v", i, err)
					return
				}
				select {
				case <-stop:
					return
				default:
				}
			}
		})
	}
	return func() int64 { wg.Wait(); return killed.Load() }
}

// Issue 13: sealing is exactly once and in order under concurrent writers
// and a killed sealer.
func TestSealingExactlyOnceInOrderWithConcurrentWritersAndAKilledSealer(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		const writers, each = 6, 5
		stop := make(chan struct{})
		wait := sealers(t, h, stop)
		var wg sync.WaitGroup
		idsCh := make(chan []string, writers)
		for range writers {
			wg.Go(func() { idsCh <- writeCustomers(t, h, each) })
		}
		wg.Wait()
		close(stop)
		killed := wait()
		close(idsCh)
		if t.Failed() {
			return
		}
		t.Logf("%d sealing rounds killed mid-way", killed)
		res := h.VerifyAudit()
		if !res.OK || res.Events != writers*each*2 || res.Unsealed != 0 {
			t.Fatalf("chain %+v, want OK with %d events", res, writers*each*2)
		}
		evs, err := h.Store.Audit().List(h.Ctx, store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		seqOf := map[string]int64{}
		for i, e := range evs {
			if e.Seq != int64(i+1) {
				t.Fatalf("event %d has seq %d", i, e.Seq)
			}
			key := e.EntityID + " " + e.Action
			if _, dup := seqOf[key]; dup {
				t.Fatalf("%s sealed twice", key)
			}
			seqOf[key] = e.Seq
		}
		for ids := range idsCh {
			for _, id := range ids {
				c, u := seqOf[id+" customer.created"], seqOf[id+" customer.updated"]
				if c == 0 || u == 0 || c > u {
					t.Fatalf("customer %s: created sealed at %d, updated at %d", id, c, u)
				}
			}
		}
	})
}

// Issue 13: a gap left by an aborted transaction does not stall sealing;
// nor does a transaction still open with an earlier journal position.
func TestAbortedAppendDoesNotStallSealing(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		kyctest.Customer(t, h, nil)
		boom := errors.New("boom")
		err := h.Store.InTx(h.Ctx, func(tx store.Tx) error {
			if err := tx.Audit().Append(h.Ctx, domain.AuditEvent{ID: "evt_aborted", OccurredAt: kyctest.Start, Actor: "client:x", Action: "customer.created", EntityType: "customer", EntityID: "cus_aborted"}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		kyctest.Customer(t, h, nil)
		// One round seals both committed events, across the aborted one's
		// journal position, without waiting for anything.
		res, err := h.App.Audit.Seal(h.Ctx, 100)
		if err != nil || res.Sealed != 2 || res.Head != 2 {
			t.Fatalf("seal: %+v %v", res, err)
		}
		if v := h.VerifyAudit(); !v.OK || v.Events != 2 {
			t.Fatalf("chain %+v", v)
		}
		evs, _ := h.Store.Audit().List(h.Ctx, store.AuditFilter{EntityID: "cus_aborted"})
		if len(evs) != 0 {
			t.Fatalf("the aborted event was sealed: %+v", evs)
		}
	})
}

// Issue 13: a reader tailing the trail by sequence number sees every
// event exactly once, while writers write and sealers seal.
func TestTailingReaderSeesEveryEventOnce(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		const writers, each = 5, 5
		stop := make(chan struct{})
		wait := sealers(t, h, stop)
		var seen []domain.AuditEvent
		var cursor int64
		tail := func() error {
			for {
				evs, err := replica(h).Audit.ListEvents(h.Ctx, kyctest.Operator, app.AuditQuery{AfterSeq: cursor, Limit: 7})
				if err != nil || len(evs) == 0 {
					return err
				}
				seen = append(seen, evs...)
				cursor = evs[len(evs)-1].Seq
			}
		}
		tailDone := make(chan error, 1)
		writing := make(chan struct{})
		go func() {
			for {
				if err := tail(); err != nil {
					tailDone <- err
					return
				}
				select {
				case <-writing:
					tailDone <- nil
					return
				case <-time.After(time.Millisecond):
				}
			}
		}()
		var wg sync.WaitGroup
		for range writers {
			wg.Go(func() { writeCustomers(t, h, each) })
		}
		wg.Wait()
		close(stop)
		wait()
		close(writing)
		if err := <-tailDone; err != nil {
			t.Fatal(err)
		}
		h.SealAudit()
		if err := tail(); err != nil {
			t.Fatal(err)
		}
		if len(seen) != writers*each*2 {
			t.Fatalf("the tailing reader saw %d events, want %d", len(seen), writers*each*2)
		}
		ids := map[string]bool{}
		for i, e := range seen {
			if e.Seq != int64(i+1) || ids[e.ID] {
				t.Fatalf("event %d: seq %d, id %s seen before: %v", i, e.Seq, e.ID, ids[e.ID])
			}
			ids[e.ID] = true
		}
	})
}

// sealedCustomers creates n customers and seals their events.
func sealedCustomers(t *testing.T, h *kyctest.Bundle, n int) {
	t.Helper()
	for range n {
		kyctest.Customer(t, h, nil)
	}
	h.SealAudit()
}

// relink recomputes, with keys, the links of every sealed event from seq
// on and the head, as an intruder holding those keys would after editing
// the events (the append-only triggers out of the way).
func relink(t *testing.T, h *kyctest.Bundle, keys *app.AuditKeys, from int64) {
	t.Helper()
	evs, err := h.Store.Audit().List(h.Ctx, store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	prev := ""
	for _, e := range evs {
		if e.Seq >= from {
			e.PrevHash = prev
			e.Hash = keys.Link(e)
			h.TamperAudit(fmt.Sprintf("UPDATE audit_events SET prev_hash = '%s', hash = '%s' WHERE seq = %d", e.PrevHash, e.Hash, e.Seq))
		}
		prev = e.Hash
	}
	h.TamperAudit(fmt.Sprintf("UPDATE audit_head SET hash = '%s'", prev))
}

// Issue 13 and issue 12 item 7: an edited, removed or re-linked sealed
// event is detected by verification.
func TestTamperedSealedEventIsDetected(t *testing.T) {
	t.Parallel()
	other := app.NewAuditKeys(mustVault(t))
	for _, tc := range []struct {
		name     string
		tamper   func(t *testing.T, h *kyctest.Bundle)
		brokenAt int64
		reason   string
	}{
		{"edited meta", func(t *testing.T, h *kyctest.Bundle) {
			h.TamperAudit(`UPDATE audit_events SET meta = '{"status":"approved"}' WHERE seq = 2`)
		}, 2, "keyed link does not match"},
		{"edited sealing time", func(t *testing.T, h *kyctest.Bundle) {
			h.TamperAudit(`UPDATE audit_events SET sealed_at = occurred_at WHERE seq = 3`)
		}, 3, "keyed link does not match"},
		{"deleted in the middle", func(t *testing.T, h *kyctest.Bundle) {
			h.TamperAudit(`DELETE FROM audit_events WHERE seq = 2`)
		}, 3, "sequence gap"},
		{"deleted at the end", func(t *testing.T, h *kyctest.Bundle) {
			h.TamperAudit(`DELETE FROM audit_events WHERE seq = 4`)
		}, 4, "removed from the end"},
		{"edited and re-linked with another key", func(t *testing.T, h *kyctest.Bundle) {
			h.TamperAudit(`UPDATE audit_events SET action = 'customer.approved' WHERE seq = 2`)
			relink(t, h, other, 2)
		}, 2, "keyed link does not match"},
		{"edited and re-linked unkeyed as legacy events", func(t *testing.T, h *kyctest.Bundle) {
			// Pass the whole chain off as written by an earlier version.
			evs, _ := h.Store.Audit().List(h.Ctx, store.AuditFilter{})
			prev := ""
			for _, e := range evs {
				e.PrevHash = prev
				e.Hash = app.ChainHash(e)
				h.TamperAudit(fmt.Sprintf("UPDATE audit_events SET prev_hash = '%s', hash = '%s' WHERE seq = %d", e.PrevHash, e.Hash, e.Seq))
				prev = e.Hash
			}
			h.TamperAudit(fmt.Sprintf("UPDATE audit_head SET hash = '%s', legacy_seq = 4, legacy_hash = '%s'", prev, prev))
		}, 5, "does not match its MAC"},
		{"key record removed to pass rewritten events off as unkeyed", func(t *testing.T, h *kyctest.Bundle) {
			h.TamperAudit(`UPDATE audit_head SET key_id = '', legacy_mac = '', legacy_seq = 4, legacy_hash = hash`)
		}, 0, "no record of its audit key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
				sealedCustomers(t, h, 4)
				if res := h.VerifyAudit(); !res.OK || res.Events != 4 {
					t.Fatalf("before: %+v", res)
				}
				tc.tamper(t, h)
				res, err := h.App.Audit.Verify(h.Ctx, kyctest.Operator)
				if err != nil {
					t.Fatal(err)
				}
				if res.OK || res.BrokenAt != tc.brokenAt || !strings.Contains(res.Reason, tc.reason) {
					t.Fatalf("after tampering: %+v, want broken at %d: %q", res, tc.brokenAt, tc.reason)
				}
			})
		})
	}
}

func mustVault(t *testing.T) *vault.Vault {
	t.Helper()
	v, err := vault.LoadOrCreate(vault.GenerateKey(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// withKeysOf is an application over h's database deriving its keys from
// another master key.
func withKeysOf(h *kyctest.Bundle, v *vault.Vault) *app.App {
	d := h.Deps()
	d.Crypt = v
	return app.New(d)
}

// Issue 12 item 7: the chain is keyed; recomputing it with the wrong key
// fails, and a process with another key refuses to extend it.
func TestKeyedChainWrongKeyFails(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		sealedCustomers(t, h, 3)
		wrong := withKeysOf(h, mustVault(t))
		res, err := wrong.Audit.Verify(h.Ctx, kyctest.Operator)
		if err != nil || res.OK || !strings.Contains(res.Reason, "keyed with audit key") {
			t.Fatalf("verify with another key: %+v %v", res, err)
		}
		// Even told the right key id, the other key's links do not match.
		otherKeys := app.NewAuditKeys(mustVault(t))
		h.TamperAudit(fmt.Sprintf("UPDATE audit_head SET key_id = '%s'", otherKeys.ID()))
		res, _ = withKeysOf(h, mustVault(t)).Audit.Verify(h.Ctx, kyctest.Operator)
		if res.OK {
			t.Fatalf("a chain verified under a key it was not linked with: %+v", res)
		}
		h.TamperAudit(fmt.Sprintf("UPDATE audit_head SET key_id = '%s'", mustKeys(t, h).ID()))
		// A process with another master key does not extend the chain.
		kyctest.Customer(t, h, nil)
		if _, err := wrong.Audit.Seal(h.Ctx, 10); !errors.Is(err, app.ErrAuditKeyMismatch) {
			t.Fatalf("seal with another key: %v", err)
		}
		if res := h.VerifyAudit(); !res.OK || res.Events != 4 {
			t.Fatalf("chain after the refused round: %+v", res)
		}
	})
}

func mustKeys(t *testing.T, h *kyctest.Bundle) *app.AuditKeys {
	t.Helper()
	k, err := h.App.Audit.Keys()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// Issue 12 item 7: a checkpoint round-trips in both printed forms and
// still verifies as the chain grows; a checkpoint that the chain no
// longer matches (history rewritten, even by someone holding the master
// key; events removed) fails verification, and so does an altered or
// foreign checkpoint.
func TestCheckpoint(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		sealedCustomers(t, h, 3)
		cp, res, err := h.App.Audit.Checkpoint(h.Ctx, kyctest.Operator)
		if err != nil || !res.OK || cp.Seq != 3 || cp.Hash != res.HeadHash {
			t.Fatalf("checkpoint %+v (%+v, %v)", cp, res, err)
		}
		fromText, err := app.ParseCheckpoint([]byte("# a comment\n" + cp.Text()))
		if err != nil {
			t.Fatal(err)
		}
		js, _ := json.Marshal(cp)
		fromJSON, err := app.ParseCheckpoint(js)
		if err != nil {
			t.Fatal(err)
		}
		verify := func(c app.Checkpoint) app.VerifyResult {
			t.Helper()
			r, err := h.App.Audit.VerifyWith(h.Ctx, kyctest.Operator, app.VerifyOptions{Checkpoint: &c})
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		for _, c := range []app.Checkpoint{fromText, fromJSON} {
			if r := verify(c); !r.OK || r.CheckpointSeq != 3 {
				t.Fatalf("round trip: %+v", r)
			}
		}
		sealedCustomers(t, h, 2)
		if r := verify(cp); !r.OK || r.Events != 5 {
			t.Fatalf("grown chain against the checkpoint: %+v", r)
		}

		for _, tc := range []struct {
			name   string
			cp     func() app.Checkpoint
			reason string
		}{
			{"altered seq", func() app.Checkpoint { c := cp; c.Seq = 2; return c }, "signature is not valid"},
			{"altered hash", func() app.Checkpoint { c := cp; c.Hash = strings.Repeat("0", 64); return c }, "signature is not valid"},
			{"another installation's", func() app.Checkpoint {
				c, _, err := withKeysOf(h, mustVault(t)).Audit.Checkpoint(h.Ctx, kyctest.Operator)
				if err == nil {
					t.Fatalf("another key signed a checkpoint of a chain it cannot verify: %+v", c)
				}
				c = cp
				c.PublicKey = "AAAA"
				return c
			}, "signed with another key"},
		} {
			if r := verify(tc.cp()); r.OK || !strings.Contains(r.Reason, tc.reason) {
				t.Fatalf("%s: %+v, want %q", tc.name, r, tc.reason)
			}
		}

		// History rewritten by someone holding the master key: the chain
		// verifies on its own, but not against the checkpoint.
		h.TamperAudit(`UPDATE audit_events SET action = 'customer.approved' WHERE seq = 2`)
		relink(t, h, mustKeys(t, h), 2)
		if r := h.VerifyAudit(); !r.OK {
			t.Fatalf("the re-linked chain should verify without a checkpoint: %+v", r)
		}
		if r := verify(cp); r.OK || r.BrokenAt != 3 || !strings.Contains(r.Reason, "history was rewritten") {
			t.Fatalf("rewritten history against the checkpoint: %+v", r)
		}
		// Sealed events removed from the end, back before the checkpoint.
		h.TamperAudit(`DELETE FROM audit_events WHERE seq > 2`)
		h.TamperAudit(`UPDATE audit_head SET seq = 2, hash = (SELECT hash FROM audit_events WHERE seq = 2)`)
		if r := verify(cp); r.OK || !strings.Contains(r.Reason, "before the checkpoint") {
			t.Fatalf("truncated chain against the checkpoint: %+v", r)
		}
	})
}

func TestParseCheckpointRefusesMalformedInput(t *testing.T) {
	t.Parallel()
	good := "format: kyc-audit-checkpoint/1\nseq: 3\nhash: " + strings.Repeat("a", 64) + "\nlegacy_seq: 0\nkey_id: k\ncreated_at: 2026-11-26T12:00:00Z\npublic_key: cA==\nsignature: cA==\n"
	if _, err := app.ParseCheckpoint([]byte(good)); err != nil {
		t.Fatalf("good checkpoint: %v", err)
	}
	for name, in := range map[string]string{
		"empty":         "",
		"other format":  strings.Replace(good, "checkpoint/1", "checkpoint/9", 1),
		"bad seq":       strings.Replace(good, "seq: 3", "seq: three", 1),
		"negative seq":  strings.Replace(good, "seq: 3", "seq: -1", 1),
		"short hash":    strings.Replace(good, strings.Repeat("a", 64), "abc", 1),
		"unknown field": good + "extra: 1\n",
		"twice":         good + "seq: 4\n",
		"no signature":  strings.Replace(good, "signature: cA==\n", "", 1),
		"bad time":      strings.Replace(good, "2026-11-26T12:00:00Z", "yesterday", 1),
		"json extra":    `{"format":"kyc-audit-checkpoint/1","seq":1,"extra":true}`,
		"not a line":    "format kyc-audit-checkpoint/1",
	} {
		if _, err := app.ParseCheckpoint([]byte(in)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// Issue 13: verification reports committed events left unsealed beyond
// the bound (no sealer running) as an error, and the trail's readers see
// how far sealing lags.
func TestUnsealedEventsBeyondTheBoundAreReported(t *testing.T) {
	t.Parallel()
	kyctest.OnEachEngine(t, func(t *testing.T, h *kyctest.Bundle) {
		sealedCustomers(t, h, 1)
		kyctest.Customer(t, h, nil)
		st, err := h.App.Audit.Sealing(h.Ctx, kyctest.Client)
		if err != nil || st.SealedThrough != 1 || st.Unsealed != 1 || st.Lag <= 0 {
			t.Fatalf("sealing status %+v %v", st, err)
		}
		if st, _ := h.App.Audit.Sealing(h.Ctx, kyctest.Outsider); st.Unsealed != 0 {
			t.Fatalf("another tenant counts %d unsealed events", st.Unsealed)
		}
		res, err := h.App.Audit.Verify(h.Ctx, kyctest.Operator)
		if err != nil || !res.OK || res.Unsealed != 1 {
			t.Fatalf("a fresh unsealed event: %+v %v", res, err)
		}
		h.Advance(2 * app.DefaultMaxUnsealedAge)
		res, _ = h.App.Audit.Verify(h.Ctx, kyctest.Operator)
		if res.OK || res.BrokenAt != 0 || res.Unsealed != 1 || !strings.Contains(res.Reason, "not sealed") {
			t.Fatalf("an old unsealed event: %+v", res)
		}
		res, _ = h.App.Audit.VerifyWith(h.Ctx, kyctest.Operator, app.VerifyOptions{MaxUnsealedAge: time.Hour})
		if !res.OK {
			t.Fatalf("within a longer bound: %+v", res)
		}
		if res := h.VerifyAudit(); !res.OK || res.Unsealed != 0 || res.Events != 2 {
			t.Fatalf("after sealing: %+v", res)
		}
	})
}
