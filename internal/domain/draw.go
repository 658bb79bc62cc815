// Package domain holds the types every layer shares: draws, categories, NOC
// unit groups and the Store interface. It imports nothing of the project.
package domain

import (
	"net/url"
	"time"
)

// RoundType says what sort of round a draw was.
type RoundType string

const (
	TypeCategory RoundType = "category" // category-based selection (healthcare, STEM, …)
	TypeProgram  RoundType = "program"  // a program round (CEC, PNP, FSW, FST, general, none)
	TypeUnmapped RoundType = "unmapped" // a drawName no rule knows; kept with its raw name
)

// Origin says where a stored draw came from. The feed always wins over a
// moderator entry; a live feed row wins over the embedded snapshot.
type Origin string

const (
	OriginSnapshot  Origin = "embedded"
	OriginFeed      Origin = "feed"
	OriginModerator Origin = "moderator"
)

// Draw is one Express Entry round of invitations.
type Draw struct {
	Number   string // "437", "91a"
	Seq      int    // numeric part of Number, for ordering
	Date     string // YYYY-MM-DD, as IRCC gives it
	DrawnAt  time.Time
	DrawnRaw string // the free-text date/time as IRCC wrote it
	Name     string // raw drawName
	Category Key    // category or program key: "healthcare", "cec", … or "unmapped"
	Version  int    // category version; 0 for programs
	Type     RoundType
	Size     int // invitations issued
	CRS      int // lowest CRS score invited
	Programs string
	TieBreak time.Time // zero when absent or unparsable
	TieRaw   string
	URL      string // official round page
	Dist     *Distribution
	Origin   Origin
}

// Newer reports whether d comes before other newest first, as the store
// orders draws: by date, then sequence, then number.
func (d Draw) Newer(other Draw) bool {
	if d.Date != other.Date {
		return d.Date > other.Date
	}
	if d.Seq != other.Seq {
		return d.Seq > other.Seq
	}
	return d.Number > other.Number
}

// Band is a non-overlapping CRS score band of the pool.
type Band struct {
	Lo, Hi     int
	Candidates int
}

// Distribution is the pool's score distribution published with a draw.
type Distribution struct {
	AsOf    string // YYYY-MM-DD when parsed, else the raw text
	AsOfRaw string
	Total   int
	Bands   []Band // highest band first
}

// DrawFilter selects draws, newest first.
type DrawFilter struct {
	Category Key // "" for all
	// Version, when above 0, keeps only that version of Category.
	Version int
	// From and To keep draws dated in between, both included (YYYY-MM-DD;
	// "" leaves that end open).
	From, To string
	Limit    int  // 0 for no limit
	Offset   int  // draws skipped, in the order asked for
	Oldest   bool // oldest first instead
}

// DrawSummary is what a set of draws adds up to (Store.SummarizeDraws).
type DrawSummary struct {
	Draws       int
	Invitations int
	// The lowest, middle and highest cutoffs, and their sum. The middle of
	// an even number of draws is the mean of the two middle cutoffs,
	// rounded down.
	MinCRS, MedianCRS, MaxCRS, SumCRS int
	Oldest, Newest                    Draw // when Draws > 0
}

// roundPage is the public page of every round; ?q= picks one.
const roundPage = "https://www.canada.ca/en/immigration-refugees-citizenship/corporate/mandate/policies-operational-instructions-agreements/ministerial-instructions/express-entry-rounds/invitations.html"

// RoundURL is the canonical public page of a round, used when a draw has no
// link of its own (the feed's is missing or not on canada.ca, or a
// moderator entered the draw).
func RoundURL(number string) string {
	return roundPage + "?q=" + url.QueryEscape(number)
}
