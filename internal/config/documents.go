package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DocumentLimits bound what one customer's documents may take (issue 12,
// item 9), so that a self-service visitor cannot fill the disk: a count and
// a total size per customer (every upload, API or hosted pages), and an
// upload rate for the self-service pages.
type DocumentLimits struct {
	// PerCustomer is the most documents one customer may have
	// (KYC_MAX_DOCUMENTS_PER_CUSTOMER, default 50).
	PerCustomer int
	// BytesPerCustomer is the most bytes they may add up to
	// (KYC_MAX_DOCUMENT_BYTES_PER_CUSTOMER, default 200 MiB).
	BytesPerCustomer int64
	// ApplicantUploads uploads per ApplicantWindow are accepted from the
	// hosted pages for one customer (KYC_APPLICANT_UPLOAD_RATE, N/DURATION,
	// default 20/1h).
	ApplicantUploads int
	ApplicantWindow  time.Duration
}

// DefaultDocumentLimits are the limits with no setting.
func DefaultDocumentLimits() DocumentLimits {
	return DocumentLimits{PerCustomer: 50, BytesPerCustomer: 200 << 20, ApplicantUploads: 20, ApplicantWindow: time.Hour}
}

func documentLimitsFromEnv(getenv func(string) string, l *DocumentLimits) []error {
	var errs []error
	if v := getenv("KYC_MAX_DOCUMENTS_PER_CUSTOMER"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("KYC_MAX_DOCUMENTS_PER_CUSTOMER: %q is not a whole number", v))
		} else {
			l.PerCustomer = n
		}
	}
	if v := getenv("KYC_MAX_DOCUMENT_BYTES_PER_CUSTOMER"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			errs = append(errs, fmt.Errorf("KYC_MAX_DOCUMENT_BYTES_PER_CUSTOMER: %q is not a whole number of bytes", v))
		} else {
			l.BytesPerCustomer = n
		}
	}
	if v := getenv("KYC_APPLICANT_UPLOAD_RATE"); v != "" {
		n, w, err := parseRate(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("KYC_APPLICANT_UPLOAD_RATE: %w", err))
		} else {
			l.ApplicantUploads, l.ApplicantWindow = n, w
		}
	}
	return errs
}

// parseRate reads N/DURATION ("20/1h", "5/10m").
func parseRate(v string) (int, time.Duration, error) {
	ns, ds, ok := strings.Cut(strings.TrimSpace(v), "/")
	if !ok {
		return 0, 0, fmt.Errorf("%q: use N/DURATION, e.g. 20/1h", v)
	}
	n, err := strconv.Atoi(strings.TrimSpace(ns))
	if err != nil {
		return 0, 0, fmt.Errorf("%q: %q is not a whole number (use N/DURATION, e.g. 20/1h)", v, ns)
	}
	d, err := time.ParseDuration(strings.TrimSpace(ds))
	if err != nil {
		return 0, 0, fmt.Errorf("%q: %q is not a duration (use N/DURATION, e.g. 20/1h)", v, ds)
	}
	return n, d, nil
}

func (l DocumentLimits) validate(maxUpload int64) []error {
	var errs []error
	if l.PerCustomer < 1 || l.PerCustomer > 10000 {
		errs = append(errs, fmt.Errorf("KYC_MAX_DOCUMENTS_PER_CUSTOMER: %d must be between 1 and 10000", l.PerCustomer))
	}
	if l.BytesPerCustomer < maxUpload || l.BytesPerCustomer > 1<<40 {
		errs = append(errs, fmt.Errorf("KYC_MAX_DOCUMENT_BYTES_PER_CUSTOMER: %d must be at least one document's limit (KYC_MAX_UPLOAD_BYTES, %d) and at most 1 TiB", l.BytesPerCustomer, maxUpload))
	}
	if l.ApplicantUploads < 1 || l.ApplicantUploads > 10000 || l.ApplicantWindow < time.Minute || l.ApplicantWindow > 24*time.Hour {
		errs = append(errs, fmt.Errorf("KYC_APPLICANT_UPLOAD_RATE: %d/%s must be 1 to 10000 uploads per 1m to 24h", l.ApplicantUploads, l.ApplicantWindow))
	}
	return errs
}
