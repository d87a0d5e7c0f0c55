// Package vault protects personal data at rest: field-level authenticated
// encryption (AES-256-GCM), keyed blind indexes for exact-match lookups on
// encrypted fields, and wrapping of token-signing keys.
//
// Every key is derived with HKDF-SHA256 from one 32-byte master key, which
// comes from KYC_MASTER_KEY (base64) or from the key file
// <dataDir>/master.key, created with mode 0600 on first run. Each purpose
// (encryption, blind indexes, key wrapping) gets its own subkey, so a leak of
// one derived key does not expose the others (OWASP ASVS 11.3.3).
//
// A ciphertext is self-describing:
//
//	version (1 byte, 0x01) | key id (4 bytes) | nonce (12 bytes) | AES-GCM ciphertext and tag
//
// The key id is derived from the master key, so after a master-key rotation
// a Vault built with the previous keys (WithPreviousKeys) still opens old
// ciphertexts and Reseal re-encrypts them under the current key. The header
// is authenticated together with the caller's additional data (aad), which
// binds a ciphertext to its record ("customer:<id>"): moving it to another
// record makes Open fail.
package vault

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// KeySize is the size in bytes of the master key.
const KeySize = 32

// KeyFileName is the name of the key file inside the data directory.
const KeyFileName = "master.key"

// formatVersion is the first byte of every ciphertext.
const formatVersion byte = 0x01

const (
	keyIDSize  = 4
	nonceSize  = 12
	headerSize = 1 + keyIDSize
	// Overhead is the number of bytes a ciphertext has beyond its plaintext.
	Overhead = headerSize + nonceSize + 16
)

// HKDF info strings, one per purpose. Changing any of them makes every
// existing ciphertext or index unreadable.
const (
	infoEncrypt    = "kyc/v1/encrypt"
	infoBlindIndex = "kyc/v1/blind-index"
	infoKeyWrap    = "kyc/v1/key-wrap"
	infoKeyID      = "kyc/v1/key-id"
	infoDerivePfx  = "kyc/v1/derive/"
)

// ErrDecrypt is returned by Open and Unwrap when a ciphertext is malformed,
// was tampered with, was sealed under another key or with another aad.
var ErrDecrypt = errors.New("vault: cannot decrypt: wrong key, wrong aad or corrupted data")

// ErrUnknownKey is returned when a ciphertext names a master key the vault
// does not hold. errors.Is(ErrUnknownKey, ErrDecrypt) is true.
var ErrUnknownKey = fmt.Errorf("%w (sealed with an unknown master key)", ErrDecrypt)

// keySet is everything derived from one master key.
type keySet struct {
	id    [keyIDSize]byte
	enc   cipher.AEAD
	wrap  cipher.AEAD
	index []byte
	raw   []byte
	// kinds caches the blind-index key of each kind (string →
	// *indexKind), derived from index on first use.
	kinds sync.Map
}

// Vault encrypts and indexes personal data. It is safe for concurrent use;
// its only mutable state after construction is a cache of the derived
// blind-index key of each kind (keySet.kinds).
type Vault struct {
	current *keySet
	byID    map[[keyIDSize]byte]*keySet
}

// Option configures New and LoadOrCreate.
type Option func(*options)

type options struct {
	previous [][]byte
}

// WithPreviousKeys lets the vault open ciphertexts sealed under earlier
// master keys (for re-encryption after a rotation). New data is always
// sealed with the current key.
func WithPreviousKeys(keys ...[]byte) Option {
	return func(o *options) { o.previous = append(o.previous, keys...) }
}

// New builds a vault from a raw 32-byte master key.
func New(masterKey []byte, opts ...Option) (*Vault, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	cur, err := deriveKeySet(masterKey)
	if err != nil {
		return nil, err
	}
	v := &Vault{current: cur, byID: map[[keyIDSize]byte]*keySet{cur.id: cur}}
	for i, k := range o.previous {
		ks, err := deriveKeySet(k)
		if err != nil {
			return nil, fmt.Errorf("vault: previous key %d: %w", i, err)
		}
		if _, dup := v.byID[ks.id]; !dup {
			v.byID[ks.id] = ks
		}
	}
	return v, nil
}

// LoadOrCreate returns the vault of this installation. When masterKeyB64 is
// not empty (the value of KYC_MASTER_KEY) it must be the base64 encoding
// (standard or URL alphabet, padded or not) of 32 bytes and the key file is
// ignored. Otherwise the key is read from <dataDir>/master.key, which is
// created with a fresh random key and mode 0600 when it does not exist. A
// key file that group or others may read or write is refused.
func LoadOrCreate(masterKeyB64 string, dataDir string, opts ...Option) (*Vault, error) {
	if s := strings.TrimSpace(masterKeyB64); s != "" {
		key, err := DecodeKey(s)
		if err != nil {
			return nil, fmt.Errorf("vault: KYC_MASTER_KEY: %w", err)
		}
		return New(key, opts...)
	}
	if dataDir == "" {
		return nil, errors.New("vault: no master key: set KYC_MASTER_KEY or a data directory for the key file")
	}
	key, err := loadOrCreateKeyFile(filepath.Join(dataDir, KeyFileName))
	if err != nil {
		return nil, err
	}
	return New(key, opts...)
}

// ErrNoKey is returned by Load when neither KYC_MASTER_KEY nor the key
// file gives a master key.
var ErrNoKey = errors.New("vault: no master key")

// KeyFilePath is the key file of a data directory.
func KeyFilePath(dataDir string) string { return filepath.Join(dataDir, KeyFileName) }

// Load is LoadOrCreate without the creation: when KYC_MASTER_KEY is empty
// and the key file does not exist it returns ErrNoKey, so that the caller
// decides whether a new key may be made (never next to existing data).
func Load(masterKeyB64 string, dataDir string, opts ...Option) (*Vault, error) {
	if strings.TrimSpace(masterKeyB64) != "" {
		return LoadOrCreate(masterKeyB64, dataDir, opts...)
	}
	if dataDir == "" {
		return nil, ErrNoKey
	}
	if _, err := os.Lstat(KeyFilePath(dataDir)); errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoKey
	}
	return LoadOrCreate("", dataDir, opts...)
}

// checkLabel is the fixed message whose MAC is the key check value.
const checkLabel = "kyc master key check value v1"

// CheckValue returns the key check value of the current master key: an
// HMAC-SHA256 of a fixed label under a subkey derived for this purpose
// alone, hex-encoded. Stored beside the data, it tells whether a master key
// is the one the data was written with, and reveals nothing of the key.
func (v *Vault) CheckValue() string {
	m := hmac.New(sha256.New, v.DeriveKey("key-check-value", 32))
	m.Write([]byte(checkLabel))
	return "kcv1:" + hex.EncodeToString(m.Sum(nil))
}

// GenerateKey returns a new random master key, base64-encoded (standard
// alphabet, padded), suitable for KYC_MASTER_KEY.
func GenerateKey() string {
	return base64.StdEncoding.EncodeToString(randomBytes(KeySize))
}

// DecodeKey decodes a base64 master key (standard or URL alphabet, with or
// without padding) and checks that it is 32 bytes long.
func DecodeKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	var key []byte
	var err error
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		key, err = enc.DecodeString(s)
		if err == nil {
			break
		}
	}
	if err != nil {
		return nil, errors.New("master key is not valid base64")
	}
	if len(key) != KeySize {
		return nil, fmt.Errorf("master key must be %d bytes, got %d", KeySize, len(key))
	}
	return key, nil
}

func loadOrCreateKeyFile(path string) ([]byte, error) {
	for attempt := 0; attempt < 2; attempt++ {
		f, err := os.Open(path)
		if errors.Is(err, fs.ErrNotExist) {
			err = createKeyFile(path)
			if errors.Is(err, fs.ErrExist) {
				continue // another process created it first: read theirs
			}
			if err != nil {
				return nil, err
			}
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("vault: open key file: %w", err)
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			return nil, fmt.Errorf("vault: stat key file: %w", err)
		}
		if !st.Mode().IsRegular() {
			return nil, fmt.Errorf("vault: key file %s is not a regular file", path)
		}
		if perm := st.Mode().Perm(); perm&0o077 != 0 {
			return nil, fmt.Errorf("vault: key file %s has mode %04o, readable or writable by group or others; run `chmod 600 %s`", path, perm, path)
		}
		buf, err := io.ReadAll(io.LimitReader(f, 1024))
		if err != nil {
			return nil, fmt.Errorf("vault: read key file: %w", err)
		}
		key, err := DecodeKey(string(buf))
		if err != nil {
			return nil, fmt.Errorf("vault: key file %s: %w", path, err)
		}
		return key, nil
	}
	return nil, fmt.Errorf("vault: key file %s could not be created or read", path)
}

func createKeyFile(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("vault: create data directory: %w", err)
	}
	// Write to a temporary file and link it into place so that a concurrent
	// reader never sees a partially written key.
	tmp, err := os.CreateTemp(filepath.Dir(path), ".master.key-*")
	if err != nil {
		return fmt.Errorf("vault: create key file: %w", err)
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName)
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("vault: chmod key file: %w", err)
	}
	if _, err := tmp.WriteString(GenerateKey() + "\n"); err != nil {
		tmp.Close()
		return fmt.Errorf("vault: write key file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("vault: sync key file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("vault: close key file: %w", err)
	}
	// Link fails with EEXIST when the file appeared meanwhile; never
	// overwrite an existing key.
	if err := os.Link(tmpName, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fs.ErrExist
		}
		// Some file systems have no hard links: create exclusively instead.
		return createKeyFileDirect(path)
	}
	return nil
}

func createKeyFileDirect(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fs.ErrExist
		}
		return fmt.Errorf("vault: create key file: %w", err)
	}
	if _, err := f.WriteString(GenerateKey() + "\n"); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("vault: write key file: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("vault: sync key file: %w", err)
	}
	return f.Close()
}

func deriveKeySet(master []byte) (*keySet, error) {
	if len(master) != KeySize {
		return nil, fmt.Errorf("vault: master key must be %d bytes, got %d", KeySize, len(master))
	}
	ks := &keySet{raw: bytes.Clone(master)}
	var err error
	if ks.enc, err = newAEAD(mustDerive(master, infoEncrypt, 32)); err != nil {
		return nil, err
	}
	if ks.wrap, err = newAEAD(mustDerive(master, infoKeyWrap, 32)); err != nil {
		return nil, err
	}
	ks.index = mustDerive(master, infoBlindIndex, 32)
	copy(ks.id[:], mustDerive(master, infoKeyID, keyIDSize))
	return ks, nil
}

func mustDerive(secret []byte, info string, n int) []byte {
	k, err := hkdf.Key(sha256.New, secret, nil, info, n)
	if err != nil {
		// Only possible for n > 255*32; our lengths are constants.
		panic("vault: hkdf: " + err.Error())
	}
	return k
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("vault: %w", err)
	}
	return cipher.NewGCM(block)
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return b
}

// KeyID returns the hex id of the current master key, as found in the
// header of every ciphertext it seals. It is not secret.
func (v *Vault) KeyID() string { return hex.EncodeToString(v.current.id[:]) }

// Seal encrypts plaintext with AES-256-GCM under the current key and a
// random nonce. aad is authenticated but not encrypted; Open must be given
// the same aad. Use it to bind the ciphertext to its record, e.g.
// []byte("customer:" + id).
func (v *Vault) Seal(plaintext, aad []byte) ([]byte, error) {
	return seal(v.current, v.current.enc, plaintext, aad), nil
}

// Open decrypts a ciphertext produced by Seal with the same aad. It returns
// ErrDecrypt (or ErrUnknownKey) on any failure, never partial plaintext.
func (v *Vault) Open(ciphertext, aad []byte) ([]byte, error) {
	return v.open(ciphertext, aad, func(ks *keySet) cipher.AEAD { return ks.enc })
}

// Reseal re-encrypts ciphertext under the current master key when it was
// sealed under a previous one. It returns the input unchanged and false when
// it is already current.
func (v *Vault) Reseal(ciphertext, aad []byte) ([]byte, bool, error) {
	if len(ciphertext) >= headerSize && ciphertext[0] == formatVersion &&
		bytes.Equal(ciphertext[1:headerSize], v.current.id[:]) {
		return ciphertext, false, nil
	}
	pt, err := v.Open(ciphertext, aad)
	if err != nil {
		return nil, false, err
	}
	ct, err := v.Seal(pt, aad)
	return ct, true, err
}

// IsCurrent reports whether ciphertext was sealed under the current master
// key (false also for malformed input).
func (v *Vault) IsCurrent(ciphertext []byte) bool {
	return len(ciphertext) >= Overhead && ciphertext[0] == formatVersion &&
		bytes.Equal(ciphertext[1:headerSize], v.current.id[:])
}

// Wrap encrypts a token-signing private key with the key-wrapping subkey,
// bound to its key id, so that a stored key cannot be swapped with another
// key's row.
func (v *Vault) Wrap(kid string, privateKey []byte) ([]byte, error) {
	return seal(v.current, v.current.wrap, privateKey, wrapAAD(kid)), nil
}

// Unwrap decrypts a private key wrapped by Wrap for the same key id.
func (v *Vault) Unwrap(kid string, wrapped []byte) ([]byte, error) {
	return v.open(wrapped, wrapAAD(kid), func(ks *keySet) cipher.AEAD { return ks.wrap })
}

func wrapAAD(kid string) []byte { return []byte("signing-key:" + kid) }

// DeriveKey returns an n-byte secret derived from the master key for a
// named purpose (for example "webhook-secrets" or "session"), distinct from
// the vault's own subkeys and from every other purpose. n is at most 8160.
func (v *Vault) DeriveKey(purpose string, n int) []byte {
	return mustDerive(v.current.raw, infoDerivePfx+purpose, n)
}

func seal(ks *keySet, aead cipher.AEAD, plaintext, aad []byte) []byte {
	out := make([]byte, headerSize+nonceSize, Overhead+len(plaintext))
	out[0] = formatVersion
	copy(out[1:headerSize], ks.id[:])
	_, _ = rand.Read(out[headerSize : headerSize+nonceSize])
	nonce := out[headerSize : headerSize+nonceSize]
	return aead.Seal(out, nonce, plaintext, fullAAD(out[:headerSize], aad))
}

func (v *Vault) open(ct, aad []byte, pick func(*keySet) cipher.AEAD) ([]byte, error) {
	if len(ct) < Overhead || ct[0] != formatVersion {
		return nil, ErrDecrypt
	}
	var id [keyIDSize]byte
	copy(id[:], ct[1:headerSize])
	ks, ok := v.byID[id]
	if !ok {
		return nil, ErrUnknownKey
	}
	nonce := ct[headerSize : headerSize+nonceSize]
	pt, err := pick(ks).Open(nil, nonce, ct[headerSize+nonceSize:], fullAAD(ct[:headerSize], aad))
	if err != nil {
		return nil, ErrDecrypt
	}
	return pt, nil
}

// fullAAD authenticates the header together with the caller's aad, with a
// length prefix so that (header, aad) pairs cannot collide.
func fullAAD(header, aad []byte) []byte {
	b := make([]byte, 0, len(header)+8+len(aad))
	b = append(b, header...)
	b = binary.BigEndian.AppendUint64(b, uint64(len(aad)))
	return append(b, aad...)
}

// blindIndexBytes is the number of HMAC bytes kept in a blind index (128
// bits: collisions are negligible, and truncation hides nothing useful).
const blindIndexBytes = 16

// BlindIndex returns a keyed, deterministic index of value for exact-match
// lookups on an encrypted field: hex of the first 16 bytes of
// HMAC-SHA256(k_kind, normalise(value)), where k_kind is derived from the
// blind-index subkey and kind ("email", "document", "name"…), so equal
// values of different kinds give unrelated indexes. Values are normalised
// (Unicode NFKC, case folding, trimmed, inner whitespace collapsed to one
// space; for kind "email" also lower-cased) so that trivially different
// spellings match. An empty value after normalisation gives "". Indexes
// depend on the current master key: after a rotation they must be
// recomputed along with Reseal.
func (v *Vault) BlindIndex(kind, value string) string {
	n := Normalize(kind, value)
	if n == "" {
		return ""
	}
	k := v.current.indexKind(kind)
	m := k.macs.Get().(*indexMAC)
	m.h.Reset()
	m.in = append(m.in[:0], n...)
	m.h.Write(m.in)
	m.h.Sum(m.sum[:0])
	var out [2 * blindIndexBytes]byte
	hex.Encode(out[:], m.sum[:blindIndexBytes])
	if cap(m.in) > maxPooledInput {
		m.in = nil
	}
	k.macs.Put(m)
	return string(out[:])
}

// indexKind is the blind-index key of one kind, k_kind =
// HMAC-SHA256(blind-index subkey, "kind:" + kind), and a pool of
// HMAC-SHA256(k_kind) states: Reset starts one again from its keyed
// state without hashing the key, and nothing is allocated per index.
type indexKind struct {
	macs sync.Pool // of *indexMAC
}

// maxPooledInput is the largest input buffer an indexMAC keeps for the
// next index (an audit digest indexes a whole JSON document).
const maxPooledInput = 64 << 10

// indexMAC is an HMAC-SHA256 state with its buffers, which an interface
// call would otherwise move to the heap on every index.
type indexMAC struct {
	h   hash.Hash
	in  []byte
	sum [sha256.Size]byte
}

// indexKind returns the blind-index key of kind, deriving it on first use.
// Kinds are the few constants of the callers, so the map stays small.
func (ks *keySet) indexKind(kind string) *indexKind {
	if k, ok := ks.kinds.Load(kind); ok {
		return k.(*indexKind)
	}
	kk := hmac.New(sha256.New, ks.index)
	kk.Write([]byte("kind:"))
	kk.Write([]byte(kind))
	key := kk.Sum(nil)
	k := &indexKind{}
	k.macs.New = func() any { return &indexMAC{h: hmac.New(sha256.New, key)} }
	got, _ := ks.kinds.LoadOrStore(kind, k)
	return got.(*indexKind)
}
