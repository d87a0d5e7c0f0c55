// Package lists parses sanctions and PEP lists from their official
// formats into screening entities: OFAC SDN and consolidated (non-SDN) CSV,
// the UN Security Council consolidated XML, the EU Financial Sanctions Files
// (CSV and XML), the UK Sanctions List CSV, the US Consolidated Screening
// List CSV and OpenSanctions FollowTheMoney JSON lines.
//
// A damaged file (truncated, wrong columns, bad encoding) makes Parse fail
// with an error naming the file and line; Parse never returns partial data.
package lists
