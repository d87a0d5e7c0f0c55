// Package screening matches names of people, organisations, vessels and
// aircraft against sanctions and PEP lists.
//
// The package holds the list entity model ([Entity]), name normalisation
// (Unicode folding; transliteration of non-Latin scripts to Latin, with
// tables of its own for Arabic, Persian, Urdu and Cyrillic and unidecode for
// the other scripts; tokenisation), and an immutable in-memory [Index] built
// by [NewIndex] that finds candidates through an inverted index of tokens,
// one-deletion keys (spelling mistakes), Double Metaphone keys,
// transliteration keys (BGN/PCGN, ГОСТ and passport spellings meet) and
// consonant skeletons (unvocalised Arabic meets vocalised spellings), and
// scores them with weighted token alignment plus birth date, country and
// entity-type evidence. A query mixing writing systems, or holding
// parenthesised or semicolon-separated parts, is also screened part by
// part. Every [Match] carries an [Explanation] of how its score was reached.
//
// The package is pure: it reads no file, stores nothing and imports nothing
// of kyc. Storing list snapshots, building the index from the active ones
// and swapping it atomically is the use case's work (app.Screening).
//
// Sub-packages: lists parses the official list formats into entities (one
// parser per source format), listsync fetches the official files from
// their URLs and validates them, and eval measures matching quality on the
// real lists (make eval-screening).
package screening
