// Package store declares the storage ports of kyc: small interfaces per
// aggregate, their parameter structs and ErrNotFound. The two implementations
// (store/sqlite and store/postgres) pass the same conformance suite
// (store/storetest). Stores hold no business rules: personal data arrives
// already encrypted and leaves encrypted; the app layer owns the keys.
//
// store.go holds Store, Tx and Repos; each aggregate's records and
// interface have a file of their own, named like its queries in
// store/queries (customers.go, cases.go, auth.go, staff.go, …).
package store
