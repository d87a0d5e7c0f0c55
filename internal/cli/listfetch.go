package cli

import (
	"net/http"

	"github.com/kyc-platform/kyc/internal/netguard"
	"github.com/kyc-platform/kyc/internal/screening/listsync"
)

// maxListRedirects bounds the redirects of one list file download.
const maxListRedirects = 5

// listFetcher downloads the official list files for `kyc lists sync` and
// the periodic sync job. The configured URLs are trusted (the defaults, or
// an operator's mirror in KYC_LIST_SOURCES, which may be internal); a
// redirect to another host must be https to public addresses only, the
// guard webhooks use (netguard.Policy.RedirectGuard).
func listFetcher() *listsync.Fetcher {
	return &listsync.Fetcher{
		UserAgent: "kyc/" + Version,
		Client:    &http.Client{CheckRedirect: netguard.Policy{}.RedirectGuard(maxListRedirects)},
	}
}
