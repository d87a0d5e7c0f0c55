package lists

import (
	"errors"

	"github.com/kyc-platform/kyc/internal/screening"
)

var errNotYet = errors.New("format not implemented yet")

func parseUN(name string, data []byte) ([]screening.Entity, error)  { return nil, errNotYet }
func parseEU(name string, data []byte) ([]screening.Entity, error)  { return nil, errNotYet }
func parseUK(name string, data []byte) ([]screening.Entity, error)  { return nil, errNotYet }
func parseCSL(name string, data []byte) ([]screening.Entity, error) { return nil, errNotYet }
func parseFtM(name string, data []byte) ([]screening.Entity, error) { return nil, errNotYet }
