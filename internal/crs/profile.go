// Package crs estimates Express Entry Comprehensive Ranking System scores
// from IRCC's published criteria. The criteria are data (data/crs/*.toml,
// one file per effective date); this package reads them, scores a profile
// section by section with every cap applied, and says which change would
// raise the score most. It knows nothing of chats or languages: callers word
// the breakdown.
package crs

import "slices"

// Education is a level of education as the CRS tables name it, lowest
// first.
type Education string

// The levels of education, in the order of the CRS tables.
const (
	EduNone      Education = "none"        // less than secondary school
	EduSecondary Education = "secondary"   // secondary diploma
	EduOneYear   Education = "one-year"    // one-year post-secondary credential
	EduTwoYear   Education = "two-year"    // two-year program
	EduBachelor  Education = "bachelor"    // bachelor's or a program of three years or more
	EduTwoOrMore Education = "two-or-more" // two or more credentials, one of three years or more
	EduMaster    Education = "master"      // master's or entry-to-practice professional degree
	EduPhD       Education = "phd"         // doctorate
)

// Educations lists every level, lowest first.
var Educations = []Education{EduNone, EduSecondary, EduOneYear, EduTwoYear, EduBachelor, EduTwoOrMore, EduMaster, EduPhD}

// Rank is a level's place in Educations (-1 if unknown).
func (e Education) Rank() int { return slices.Index(Educations, e) }

// Study is Canadian post-secondary study, for the additional points.
type Study string

// The Canadian study bands.
const (
	StudyNone  Study = "none"
	StudyShort Study = "1-2" // a credential of one or two years
	StudyLong  Study = "3+"  // three years or longer, or a master's, professional or doctoral degree
)

// Studies lists the bands, lowest first.
var Studies = []Study{StudyNone, StudyShort, StudyLong}

// Offer is a qualifying offer of arranged employment.
type Offer string

// The arranged-employment kinds. Since 2025-03-25 none scores; the field
// stays so profiles dated before are scored as they were.
const (
	OfferNone    Offer = ""
	OfferMajor00 Offer = "major00" // NOC TEER 0, Major group 00
	OfferOther   Offer = "other"
)

// Lang is an official language.
type Lang string

// The official languages.
const (
	English Lang = "english"
	French  Lang = "french"
)

// Ability indexes a language result: listening, reading, writing,
// speaking, the order people write them in (L9,R8,W8,S7).
type Ability int

// The four abilities.
const (
	Listening Ability = iota
	Reading
	Writing
	Speaking
)

// Abilities lists them in order.
var Abilities = []Ability{Listening, Reading, Writing, Speaking}

// MaxLevel is the highest CLB/NCLC level; the CRS tables stop at "CLB 10
// or more".
const MaxLevel = 12

// Result is a language result as CLB (English) or NCLC (French) levels.
// Taken is false when there is no result (no test).
type Result struct {
	Taken  bool
	Levels [4]int // by Ability
}

// Same is a result with one level in all four abilities.
func Same(level int) Result { return Result{Taken: true, Levels: [4]int{level, level, level, level}} }

// Levels is a result given per ability: listening, reading, writing,
// speaking.
func Levels(l, r, w, s int) Result { return Result{Taken: true, Levels: [4]int{l, r, w, s}} }

// Min is the lowest of the four levels (0 without a result).
func (r Result) Min() int {
	if !r.Taken {
		return 0
	}
	return slices.Min(r.Levels[:])
}

// Uniform reports whether all four abilities have the same level.
func (r Result) Uniform() bool {
	return r.Levels[0] == r.Levels[1] && r.Levels[1] == r.Levels[2] && r.Levels[2] == r.Levels[3]
}

// AtLeast returns r with every ability raised to at least level.
func (r Result) AtLeast(level int) Result {
	out := Result{Taken: true}
	for i, l := range r.Levels {
		if !r.Taken {
			l = 0
		}
		out.Levels[i] = max(l, level)
	}
	return out
}

// Profile is what the CRS scores. Zero values mean none: no test, no
// years, no spouse.
type Profile struct {
	Age       int
	Education Education
	English   Result
	French    Result
	// First is the first official language; "" picks the one that scores
	// higher (English when both score the same).
	First        Lang
	CanadianWork int // years of skilled work in Canada
	ForeignWork  int // years of skilled work outside Canada
	Certificate  bool
	Study        Study
	Sibling      bool
	Nomination   bool
	Offer        Offer
	// Spouse: a spouse or common-law partner who comes to Canada and is
	// not a Canadian citizen or permanent resident. Otherwise the spouse
	// fields are ignored and the profile scores as single.
	Spouse             bool
	SpouseEducation    Education
	SpouseLanguage     Result // the spouse's first official language
	SpouseCanadianWork int
}

// result returns the profile's result in l.
func (p Profile) result(l Lang) Result {
	if l == French {
		return p.French
	}
	return p.English
}

func (l Lang) other() Lang {
	if l == French {
		return English
	}
	return French
}
