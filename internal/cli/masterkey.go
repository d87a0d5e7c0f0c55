package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kyc-platform/kyc/internal/config"
	"github.com/kyc-platform/kyc/internal/store"
	"github.com/kyc-platform/kyc/internal/vault"
)

// openVault loads the master key and checks it against the database's key
// check value (issue 12, item 6), so that no process ever writes data under
// a key the rest of the data was not written with:
//
//   - a key is created (in the key file of the data directory) only for a
//     database that holds no data yet; next to existing data a missing key
//     is an error naming KYC_MASTER_KEY and the key file's path;
//   - the first process to use a database stores the key's check value; a
//     later one with another key refuses to start;
//   - a database written before check values existed gets one only after
//     the key opened its token-signing keys.
func openVault(ctx context.Context, cfg config.Config, st store.Store, now time.Time) (*vault.Vault, error) {
	kc := st.KeyCheck()
	stored, err := kc.Get(ctx)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("master key: read the key check value: %w", err)
	}
	v, err := vault.Load(cfg.MasterKey, cfg.DataDir)
	if errors.Is(err, vault.ErrNoKey) {
		hasData := stored != ""
		if !hasData {
			if hasData, err = kc.HasData(ctx); err != nil {
				return nil, fmt.Errorf("master key: %w", err)
			}
		}
		if hasData {
			return nil, fmt.Errorf("master key: none found, and the database already holds data encrypted under one: "+
				"set KYC_MASTER_KEY (or KYC_MASTER_KEY_FILE) to that key (base64) or put its key file back at %s; "+
				"kyc never creates a new key next to existing data, which the new key could not read", vault.KeyFilePath(cfg.DataDir))
		}
		v, err = vault.LoadOrCreate("", cfg.DataDir)
	}
	if err != nil {
		return nil, fmt.Errorf("master key: %w", err)
	}
	kcv := v.CheckValue()
	if stored == "" {
		if err := checkLegacyData(ctx, st, v); err != nil {
			return nil, err
		}
		if _, err := kc.Put(ctx, kcv, now); err != nil {
			return nil, fmt.Errorf("master key: store the key check value: %w", err)
		}
		// Another process may have stored its own first: compare with what won.
		if stored, err = kc.Get(ctx); err != nil {
			return nil, fmt.Errorf("master key: read the key check value: %w", err)
		}
	}
	if stored != kcv {
		return nil, fmt.Errorf("master key: this key (%s) is not the one the database's data was written with (its key check value differs): "+
			"set KYC_MASTER_KEY (or KYC_MASTER_KEY_FILE) or the key file %s to the right key; nothing was changed", keySource(cfg), vault.KeyFilePath(cfg.DataDir))
	}
	return v, nil
}

// checkLegacyData opens the token-signing keys of a database written
// before key check values existed: a key that cannot is the wrong one.
func checkLegacyData(ctx context.Context, st store.Store, v *vault.Vault) error {
	keys, err := st.Keys().List(ctx)
	if err != nil {
		return fmt.Errorf("master key: %w", err)
	}
	for _, k := range keys {
		if _, err := v.Unwrap(k.KID, k.Private); err != nil {
			return fmt.Errorf("master key: this key cannot open the database's token-signing key %s: it is not the key the data was written with; "+
				"set KYC_MASTER_KEY or the key file to the right key; nothing was changed", k.KID)
		}
	}
	return nil
}

func keySource(cfg config.Config) string {
	if cfg.MasterKey != "" {
		return "from KYC_MASTER_KEY or KYC_MASTER_KEY_FILE"
	}
	return "from the key file"
}

// checkMasterKey is openVault for commands that write nothing encrypted
// (kyc migrate): a key that is there must match, but none is required and
// none is created.
func checkMasterKey(ctx context.Context, cfg config.Config, st store.Store) error {
	stored, err := st.KeyCheck().Get(ctx)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("master key: read the key check value: %w", err)
	}
	v, err := vault.Load(cfg.MasterKey, cfg.DataDir)
	if errors.Is(err, vault.ErrNoKey) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("master key: %w", err)
	}
	if v.CheckValue() != stored {
		return fmt.Errorf("master key: this key (%s) is not the one the database's data was written with (its key check value differs): "+
			"set KYC_MASTER_KEY (or KYC_MASTER_KEY_FILE) or the key file %s to the right key", keySource(cfg), vault.KeyFilePath(cfg.DataDir))
	}
	return nil
}
