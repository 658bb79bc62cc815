// Package data holds the files the bot ships inside its binary, so it answers
// offline on a fresh machine. See PROVENANCE.md for where each file comes from.
package data

import "embed"

// Files is every embedded data file, addressed by its path under data/.
//
//go:embed ircc/ee_rounds_123_en.json ircc/draw_names_fr.csv categories/categories.csv categories/category_noc.csv noc/noc2021_unit_groups.csv pnp/oinp_draws.json
var Files embed.FS

// Paths of the embedded files inside Files.
const (
	IRCCFeed     = "ircc/ee_rounds_123_en.json"
	RoundNamesFR = "ircc/draw_names_fr.csv"
	Categories   = "categories/categories.csv"
	CategoryNOC  = "categories/category_noc.csv"
	NOCUnits     = "noc/noc2021_unit_groups.csv"
	OINPDraws    = "pnp/oinp_draws.json"
	SnapshotDate = "2026-08-20" // when the embedded feed copy was saved from IRCC
)
