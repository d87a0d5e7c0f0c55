package domain

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/binary"
	"strings"
	"time"
)

var idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// NewID returns an opaque, time-sortable identifier with a type prefix, e.g.
// "cus_01hx…". The first 6 bytes are the millisecond time, the other 10 are
// random, so ids sort by creation time and serve as pagination cursors.
func NewID(prefix string, now time.Time) string {
	var b [16]byte
	var ts [8]byte
	binary.BigEndian.PutUint64(ts[:], uint64(now.UnixMilli()))
	copy(b[:6], ts[2:])
	if _, err := rand.Read(b[6:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return prefix + "_" + idEncoding.EncodeToString(b[:])
}

// IsID reports whether s has the form of an id made by NewID with prefix:
// the prefix, an underscore and 26 characters of the id alphabet that
// decode to 16 bytes. It says nothing of whether the record exists.
func IsID(prefix, s string) bool {
	rest, ok := strings.CutPrefix(s, prefix+"_")
	if !ok || len(rest) != 26 {
		return false
	}
	b, err := idEncoding.DecodeString(rest)
	return err == nil && len(b) == 16 && idEncoding.EncodeToString(b) == rest
}
