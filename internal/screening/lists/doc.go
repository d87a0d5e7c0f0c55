// Package lists parses sanctions and PEP lists from their official
// formats into screening entities: OFAC SDN and consolidated (non-SDN) CSV,
// the UN Security Council consolidated XML, the EU Financial Sanctions Files
// (CSV and XML), the UK Sanctions List CSV, the US Consolidated Screening
// List CSV and OpenSanctions FollowTheMoney JSON lines.
//
// Every source is registered once (registry.go): its name, title, the files
// of one edition with their official download addresses, and its parser,
// each defined beside the parser (ofac.go, un.go, …). Everything else in kyc
// (configuration, the command line, list sync, imports) reads Sources and
// Lookup, so adding a source is one parser file and one registry entry.
//
// A damaged file (truncated, wrong columns, bad encoding) makes Parse fail
// with an error naming the file and line; Parse never returns partial data.
package lists
