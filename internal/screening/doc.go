// Package screening matches names of people, organisations, vessels and
// aircraft against sanctions and PEP lists.
//
// The package holds the list entity model ([Entity]), name normalisation
// (Unicode folding, transliteration of non-Latin scripts to Latin with own
// tables for Arabic, Persian, Urdu and Cyrillic, tokenisation), and an
// immutable in-memory [Index] that finds candidates through an inverted
// index of tokens, edit-distance keys, phonetic keys, transliteration keys
// (BGN/PCGN, ГОСТ and passport spellings meet) and consonant skeletons
// (unvocalised Arabic meets vocalised spellings), and scores them with
// weighted token alignment plus birth date, country and entity-type
// evidence. A query mixing writing systems, or holding parenthesised or
// semicolon-separated parts, is also screened part by part. Every [Match]
// carries an [Explanation] of how its score was reached.
//
// Parsers for the official list formats live in the lists sub-package; the
// fetcher for official URLs lives in the sync sub-package.
package screening
