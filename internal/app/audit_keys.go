package app

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"time"

	"github.com/kyc-platform/kyc/internal/domain"
)

// KeyDeriver derives secrets bound to a named purpose from the master key,
// which lives outside the database (KYC_MASTER_KEY or the key file).
// *vault.Vault implements it.
type KeyDeriver interface {
	DeriveKey(purpose string, n int) []byte
}

// HKDF purposes of the audit trail's keys (vault.DeriveKey). Changing one
// makes every sealed link, or every checkpoint, fail to verify.
const (
	auditChainPurpose  = "audit-chain-hmac"
	auditSignerPurpose = "audit-checkpoint-ed25519"
)

// AuditKeys are the audit trail's secrets: the HMAC-SHA256 key of the
// chain's links and the Ed25519 key that signs checkpoints. Both are
// derived from the master key, so neither is in the database: someone who
// can write the database but lacks the master key cannot recompute a link
// after editing an event, nor sign a checkpoint.
type AuditKeys struct {
	chain  []byte
	signer ed25519.PrivateKey
	id     string
}

// NewAuditKeys derives the audit keys from the master key behind d.
func NewAuditKeys(d KeyDeriver) *AuditKeys {
	k := &AuditKeys{
		chain:  d.DeriveKey(auditChainPurpose, 32),
		signer: ed25519.NewKeyFromSeed(d.DeriveKey(auditSignerPurpose, ed25519.SeedSize)),
	}
	m := hmac.New(sha256.New, k.chain)
	m.Write([]byte("kyc/audit/key-id"))
	k.id = hex.EncodeToString(m.Sum(nil)[:8])
	return k
}

// ID names the chain key (not secret): the first 8 bytes of an HMAC of a
// fixed label under it, so a verifier holding another key says so.
func (k *AuditKeys) ID() string { return k.id }

// PublicKey is the checkpoint-signing key's public half.
func (k *AuditKeys) PublicKey() ed25519.PublicKey { return k.signer.Public().(ed25519.PublicKey) }

// writeFields writes each field length-prefixed, so that no two field
// lists give the same bytes.
func writeFields(h hash.Hash, fields ...string) {
	for _, f := range fields {
		fmt.Fprintf(h, "%d:%s|", len(f), f)
	}
}

// Link computes the keyed link of a sealed event: HMAC-SHA256 under the
// chain key over a version label, the previous link and every stored field
// of the event, its sealing time included. Editing, inserting, deleting or
// reordering a sealed event breaks the chain from there on, and only a
// holder of the master key can compute a replacement.
func (k *AuditKeys) Link(e domain.AuditEvent) string {
	m := hmac.New(sha256.New, k.chain)
	writeFields(m, "kyc/audit/v2",
		e.PrevHash,
		strconv.FormatInt(e.Seq, 10),
		e.ID,
		e.OccurredAt.UTC().Format(time.RFC3339Nano),
		e.Tenant,
		e.Actor, e.Action, e.EntityType, e.EntityID, e.Digest, e.Meta,
		e.SealedAt.UTC().Format(time.RFC3339Nano),
	)
	return hex.EncodeToString(m.Sum(nil))
}

// legacyMAC authenticates the switch-over point from the unkeyed chain of
// earlier versions: without it, someone with write access could move the
// point past events they rewrote and recompute their unkeyed hashes.
func (k *AuditKeys) legacyMAC(seq int64, hash string) string {
	m := hmac.New(sha256.New, k.chain)
	writeFields(m, "kyc/audit/legacy-prefix", strconv.FormatInt(seq, 10), hash)
	return hex.EncodeToString(m.Sum(nil))
}

// ChainHash computes the unkeyed SHA-256 link that versions before the
// keyed chain wrote inside each change's transaction. Verification applies
// it to the events up to the switch-over point (AuditHead.LegacySeq).
func ChainHash(e domain.AuditEvent) string {
	h := sha256.New()
	writeFields(h,
		e.PrevHash,
		strconv.FormatInt(e.Seq, 10),
		e.ID,
		e.OccurredAt.UTC().Format(time.RFC3339Nano),
		e.Tenant,
		e.Actor, e.Action, e.EntityType, e.EntityID, e.Digest, e.Meta,
	)
	return hex.EncodeToString(h.Sum(nil))
}

// CheckpointFormat is the format of a checkpoint, the first line it signs.
const CheckpointFormat = "kyc-audit-checkpoint/1"

// Checkpoint is a signed statement of the sealed chain's head, to keep
// outside the database (kyc audit checkpoint). Verifying the chain against
// it (kyc audit verify --checkpoint) detects a history rewritten after it
// was taken, even by someone holding the master key: the links up to Seq
// must still give Hash.
type Checkpoint struct {
	Format    string    `json:"format"`
	Seq       int64     `json:"seq"`
	Hash      string    `json:"hash"`
	LegacySeq int64     `json:"legacy_seq"`
	KeyID     string    `json:"key_id"`
	CreatedAt time.Time `json:"created_at"`
	// PublicKey and Signature are base64 (standard alphabet): the Ed25519
	// public key of the installation and its signature over SignedBytes.
	PublicKey string `json:"public_key"`
	Signature string `json:"signature"`
}

// SignedBytes is what the signature covers: every other field, one per
// line, in a fixed order.
func (c Checkpoint) SignedBytes() []byte {
	return fmt.Appendf(nil, "%s\nseq=%d\nhash=%s\nlegacy_seq=%d\nkey_id=%s\ncreated_at=%s\npublic_key=%s\n",
		c.Format, c.Seq, c.Hash, c.LegacySeq, c.KeyID, c.CreatedAt.UTC().Format(time.RFC3339Nano), c.PublicKey)
}

// sign fills PublicKey and Signature.
func (k *AuditKeys) sign(c Checkpoint) Checkpoint {
	c.Format = CheckpointFormat
	c.PublicKey = base64.StdEncoding.EncodeToString(k.PublicKey())
	c.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(k.signer, c.SignedBytes()))
	return c
}

// checkSignature reports why c was not signed by k, or nil.
func (k *AuditKeys) checkSignature(c Checkpoint) error {
	if c.Format != CheckpointFormat {
		return fmt.Errorf("the checkpoint's format is %q, not %q", c.Format, CheckpointFormat)
	}
	pub, err := base64.StdEncoding.DecodeString(c.PublicKey)
	if err != nil || !bytes.Equal(pub, k.PublicKey()) {
		return errors.New("the checkpoint was signed with another key than this installation's (another master key, or a forged checkpoint)")
	}
	sig, err := base64.StdEncoding.DecodeString(c.Signature)
	if err != nil || !ed25519.Verify(k.PublicKey(), c.SignedBytes(), sig) {
		return errors.New("the checkpoint's signature is not valid: the file was altered")
	}
	return nil
}

// Text renders c as "name: value" lines, the form kyc audit checkpoint
// prints; ParseCheckpoint reads it back (and the JSON form).
func (c Checkpoint) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "format: %s\nseq: %d\nhash: %s\nlegacy_seq: %d\nkey_id: %s\ncreated_at: %s\npublic_key: %s\nsignature: %s\n",
		c.Format, c.Seq, c.Hash, c.LegacySeq, c.KeyID, c.CreatedAt.UTC().Format(time.RFC3339Nano), c.PublicKey, c.Signature)
	return b.String()
}

// ParseCheckpoint reads a checkpoint in either form Checkpoint prints: a
// JSON object, or "name: value" lines (blank lines and lines starting
// with # are ignored). It checks the shape, not the signature.
func ParseCheckpoint(data []byte) (Checkpoint, error) {
	var c Checkpoint
	trimmed := bytes.TrimSpace(data)
	if bytes.HasPrefix(trimmed, []byte("{")) {
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			return c, fmt.Errorf("checkpoint: %w", err)
		}
	} else {
		seen := map[string]bool{}
		sc := bufio.NewScanner(bytes.NewReader(trimmed))
		for n := 1; sc.Scan(); n++ {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			name, value, ok := strings.Cut(line, ":")
			if !ok {
				return c, fmt.Errorf("checkpoint line %d: want name: value", n)
			}
			name, value = strings.TrimSpace(name), strings.TrimSpace(value)
			if seen[name] {
				return c, fmt.Errorf("checkpoint line %d: %s given twice", n, name)
			}
			seen[name] = true
			var err error
			switch name {
			case "format":
				c.Format = value
			case "seq":
				c.Seq, err = strconv.ParseInt(value, 10, 64)
			case "hash":
				c.Hash = value
			case "legacy_seq":
				c.LegacySeq, err = strconv.ParseInt(value, 10, 64)
			case "key_id":
				c.KeyID = value
			case "created_at":
				c.CreatedAt, err = time.Parse(time.RFC3339Nano, value)
			case "public_key":
				c.PublicKey = value
			case "signature":
				c.Signature = value
			default:
				return c, fmt.Errorf("checkpoint line %d: unknown field %q", n, name)
			}
			if err != nil {
				return c, fmt.Errorf("checkpoint line %d: %s: %w", n, name, err)
			}
		}
		if err := sc.Err(); err != nil {
			return c, fmt.Errorf("checkpoint: %w", err)
		}
	}
	switch {
	case c.Format != CheckpointFormat:
		return c, fmt.Errorf("checkpoint: format %q, want %q", c.Format, CheckpointFormat)
	case c.Seq < 0 || c.LegacySeq < 0 || c.LegacySeq > c.Seq:
		return c, errors.New("checkpoint: seq and legacy_seq must be 0 ≤ legacy_seq ≤ seq")
	case c.Seq > 0 && len(c.Hash) != 64:
		return c, errors.New("checkpoint: hash must be 64 hex digits")
	case c.Signature == "" || c.PublicKey == "":
		return c, errors.New("checkpoint: public_key and signature are required")
	}
	return c, nil
}
