package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/kyc-platform/kyc/internal/config"
	"github.com/kyc-platform/kyc/internal/docstore"
	"github.com/kyc-platform/kyc/internal/store/sqlite"
	"github.com/kyc-platform/kyc/internal/vault"
)

// backupManifest describes a backup; it is printed with --json and kept in
// the backup as backup.json.
type backupManifest struct {
	Dest          string    `json:"dest"`
	CreatedAt     time.Time `json:"created_at"`
	KYCVersion    string    `json:"kyc_version"`
	SchemaVersion int64     `json:"schema_version"`
	Database      struct {
		File   string `json:"file"`
		Bytes  int64  `json:"bytes"`
		SHA256 string `json:"sha256"`
	} `json:"database"`
	// Documents is the number of document contents copied; DocumentsNote
	// says where they are when they are not in the backup (a bucket).
	Documents         int    `json:"documents"`
	DocumentsBytes    int64  `json:"documents_bytes"`
	DocumentsNote     string `json:"documents_note,omitempty"`
	MasterKeyIncluded bool   `json:"master_key_included"`
}

const backupUsage = "usage: kyc backup DEST [--include-master-key] [--json]"

// runBackup writes an online, consistent copy of a SQLite deployment to
// DEST, laid out as a data directory (kyc.db, documents/, and master.key
// only when asked), so that restoring is pointing KYC_DATA_DIR at a copy
// of it. kyc serve may keep running: the database is copied in one read
// transaction (VACUUM INTO), then the document contents, which are written
// before the record that names them commits, so every document the copy
// of the database names is in the backup. PostgreSQL is backed up with its
// own tools (pg_dump); the command says so and exits 2.
func runBackup(ctx context.Context, e *Env, args []string) error {
	var includeKey, asJSON bool
	cfg, pos, err := loadConfig(e, "backup", args, func(_ *config.Config, fs2 *flag.FlagSet) {
		fs2.BoolVar(&includeKey, "include-master-key", false, "also copy the master key into the backup (then the backup alone can read the personal data: keep it as safe as the key)")
		fs2.BoolVar(&asJSON, "json", false, "print one JSON object")
	})
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] == "" {
		return usageErr(backupUsage)
	}
	if cfg.IsPostgres() {
		return &exitError{code: 2, msg: "kyc backup copies a SQLite database; this deployment uses PostgreSQL (KYC_DATABASE_URL): " +
			"back it up with PostgreSQL's own tools, e.g. pg_dump --format=custom --file=kyc.dump \"$KYC_DATABASE_URL\", " +
			"and restore with pg_restore --clean --if-exists --no-owner --dbname=\"$KYC_DATABASE_URL\" kyc.dump; " +
			"back up the document store (KYC_DOCUMENT_STORE) and the master key separately (README, \"Running in production\")"}
	}
	dest, err := filepath.Abs(pos[0])
	if err != nil {
		return err
	}
	src := cfg.SQLitePath()
	if _, err := os.Stat(src); err != nil {
		return &exitError{code: 1, msg: fmt.Sprintf("no database to back up at %s: %v", src, errors.Unwrap(err))}
	}
	docDir, docsInDir := docstore.DirPath(cfg.DocumentStore, cfg.DataDir)
	if docsInDir {
		if abs, err := filepath.Abs(docDir); err == nil {
			docDir = abs
		}
		if within(dest, docDir) {
			return usageErr("DEST %s lies inside the document store %s: choose a directory outside it", pos[0], docDir)
		}
	}
	if err := checkDest(dest); err != nil {
		return err
	}

	// Build the backup beside DEST and rename it into place at the end: an
	// interrupted or failed backup leaves no half-written DEST behind.
	tmp, err := os.MkdirTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".partial-*")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	done := false
	defer func() {
		if !done {
			_ = os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o700); err != nil {
		return fmt.Errorf("backup: %w", err)
	}

	m := backupManifest{Dest: dest, CreatedAt: time.Now().UTC(), KYCVersion: Version}
	db, err := sqlite.Open(ctx, sqlite.Options{Path: src})
	if err != nil {
		return fmt.Errorf("open SQLite %s: %w", src, err)
	}
	m.SchemaVersion, _, err = db.MigrationStatus(ctx)
	if err == nil {
		err = db.BackupTo(ctx, filepath.Join(tmp, "kyc.db"))
	}
	_ = db.Close()
	if err != nil {
		return err
	}
	m.Database.File = "kyc.db"
	if m.Database.Bytes, m.Database.SHA256, err = fileDigest(filepath.Join(tmp, "kyc.db")); err != nil {
		return fmt.Errorf("backup: %w", err)
	}

	// The documents after the database: a content is written before its
	// record commits, so all those the copy names exist by now.
	if docsInDir {
		m.Documents, m.DocumentsBytes, err = copyTree(docDir, filepath.Join(tmp, "documents"))
		if err != nil {
			return fmt.Errorf("backup the document store %s: %w", docDir, err)
		}
	} else {
		m.DocumentsNote = "document contents are kept in a bucket (KYC_DOCUMENT_STORE) and are not in this backup: back the bucket up with its own versioning or replication"
	}

	if includeKey {
		if err := copyMasterKey(cfg, filepath.Join(tmp, vault.KeyFileName)); err != nil {
			return err
		}
		m.MasterKeyIncluded = true
	}

	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := writeFileSync(filepath.Join(tmp, "backup.json"), append(b, '\n')); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	// An empty DEST made beforehand is replaced (rename(2) replaces an
	// empty directory); checkDest refused a non-empty one.
	if err := os.Rename(tmp, dest); err != nil {
		return fmt.Errorf("backup: move into place: %w", err)
	}
	done = true
	syncDir(filepath.Dir(dest))

	if asJSON {
		return printJSON(e.Stdout, m)
	}
	fmt.Fprintf(e.Stdout, "backup written to %s\n  database: kyc.db, %d bytes, schema version %d, sha256 %s\n", dest, m.Database.Bytes, m.SchemaVersion, m.Database.SHA256)
	if docsInDir {
		fmt.Fprintf(e.Stdout, "  documents: %d files, %d bytes\n", m.Documents, m.DocumentsBytes)
	} else {
		fmt.Fprintf(e.Stdout, "  documents: not included (%s)\n", m.DocumentsNote)
	}
	if m.MasterKeyIncluded {
		fmt.Fprintln(e.Stdout, "  master key: included (master.key): anyone holding this backup can read the personal data in it")
	} else {
		fmt.Fprintln(e.Stdout, "  master key: not included: keep it separately (KYC_MASTER_KEY or master.key); without it the backup cannot be read")
	}
	fmt.Fprintf(e.Stdout, "Restore: stop kyc, copy %s to an empty data directory, set KYC_DATA_DIR to it (and the master key), start kyc.\n", dest)
	return nil
}

// checkDest refuses a DEST that exists and is not an empty directory.
func checkDest(dest string) error {
	st, err := os.Stat(dest)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return usageErr("DEST %s exists and is not a directory: give a new or empty directory", dest)
	}
	entries, err := os.ReadDir(dest)
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return usageErr("DEST %s is not empty: give a new or empty directory (a backup never overwrites another)", dest)
	}
	return nil
}

// within says whether path is dir or lies under it.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// copyTree copies the regular files under src into dst (directories 0700,
// files 0600, each synced), skipping the temporary files of writes in
// progress; a missing src is an empty store.
func copyTree(src, dst string) (files int, size int64, err error) {
	if err := os.MkdirAll(dst, 0o700); err != nil {
		return 0, 0, err
	}
	if _, err := os.Stat(src); errors.Is(err, fs.ErrNotExist) {
		return 0, 0, nil
	}
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p != src {
				return nil // removed while walking (a purge): it is not in the copy of the database either
			}
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o700)
		}
		if !d.Type().IsRegular() || strings.HasPrefix(d.Name(), ".tmp-") {
			return nil
		}
		n, err := copyFile(p, target)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		files++
		size += n
		return nil
	})
	return files, size, err
}

func copyFile(src, dst string) (int64, error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// copyMasterKey writes the master key in use (KYC_MASTER_KEY, or the key
// file of the data directory) to dst with mode 0600.
func copyMasterKey(cfg config.Config, dst string) error {
	if k := strings.TrimSpace(cfg.MasterKey); k != "" {
		if _, err := vault.DecodeKey(k); err != nil {
			return fmt.Errorf("KYC_MASTER_KEY: %w", err)
		}
		return writeFileSync(dst, []byte(k+"\n"))
	}
	src := filepath.Join(cfg.DataDir, vault.KeyFileName)
	if _, err := copyFile(src, dst); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return &exitError{code: 1, msg: fmt.Sprintf("--include-master-key: no KYC_MASTER_KEY and no key file %s", src)}
		}
		return fmt.Errorf("copy the master key: %w", err)
	}
	return nil
}

func writeFileSync(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func fileDigest(path string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	return n, hex.EncodeToString(h.Sum(nil)), err
}

// syncDir makes a rename in dir durable (best effort: not every file
// system syncs directories).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
