package data

import "embed"

// CRS holds the Comprehensive Ranking System rules, one file per effective
// date (crs/rules-YYYY-MM-DD.toml), and IRCC's language test equivalency
// charts (crs/language-tests.toml). See crs/PROVENANCE.md.
//
//go:embed crs/*.toml
var CRS embed.FS
