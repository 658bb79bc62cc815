package crs

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// TestTable is IRCC's equivalency chart for one language test: the level
// (CLB for English tests, NCLC for French ones) each score gives, per
// ability.
type TestTable struct {
	Test     string // "ielts", "celpip", "pte", "tef", "tcf"
	Name     string // "IELTS General Training"
	Language Lang
	From     string     // tests taken on or after this date; "" for any
	Max      [4]float64 // the highest score, by Ability
	Step     float64    // the scores' granularity; 1 unless set (IELTS: 0.5)
	// Bands by Ability, highest level first: the lowest score giving the
	// level, and the highest when IRCC prints a range (else the next band's
	// lowest score less one step, or Max).
	Bands [4][]TestBand
}

// TestBand is one row of a chart for one ability.
type TestBand struct {
	Level    int
	Min, Top float64
}

// The charts print reading, writing, listening, speaking; Ability is
// listening, reading, writing, speaking.
var chartColumns = [4]Ability{Reading, Writing, Listening, Speaking}

type testFile struct {
	Source string `toml:"source"`
	Table  []struct {
		Test     string     `toml:"test"`
		Name     string     `toml:"name"`
		Language Lang       `toml:"language"`
		From     string     `toml:"from"`
		Max      [4]float64 `toml:"max"`
		Step     float64    `toml:"step"`
		Rows     [][5]string
	} `toml:"table"`
}

func parseTests(b []byte) ([]*TestTable, error) {
	var f testFile
	md, err := toml.Decode(string(b), &f)
	if err != nil {
		return nil, err
	}
	if un := md.Undecoded(); len(un) > 0 {
		return nil, fmt.Errorf("unknown keys %v", un)
	}
	var out []*TestTable
	for _, t := range f.Table {
		tt := &TestTable{Test: t.Test, Name: t.Name, Language: t.Language, From: t.From, Step: t.Step}
		if tt.Step == 0 {
			tt.Step = 1
		}
		if t.Test == "" || (t.Language != English && t.Language != French) || len(t.Rows) == 0 {
			return nil, fmt.Errorf("table %q: test, language and rows are required", t.Test)
		}
		if t.From != "" {
			if _, err := time.Parse(time.DateOnly, t.From); err != nil {
				return nil, fmt.Errorf("%s: from %q: want YYYY-MM-DD", t.Test, t.From)
			}
		}
		for c, a := range chartColumns {
			tt.Max[a] = t.Max[c]
		}
		for _, row := range t.Rows {
			level, err := strconv.Atoi(row[0])
			if err != nil || level < 1 || level > MaxLevel {
				return nil, fmt.Errorf("%s: level %q", t.Test, row[0])
			}
			for c, a := range chartColumns {
				lo, hi, err := scoreRange(row[c+1])
				if err != nil {
					return nil, fmt.Errorf("%s: level %d: %w", t.Test, level, err)
				}
				tt.Bands[a] = append(tt.Bands[a], TestBand{Level: level, Min: lo, Top: hi})
			}
		}
		for _, a := range Abilities {
			if err := tt.fill(a); err != nil {
				return nil, fmt.Errorf("%s: %w", t.Test, err)
			}
		}
		out = append(out, tt)
	}
	return out, nil
}

// scoreRange reads "8.0" (lo only, hi NaN) or "88-90".
func scoreRange(s string) (lo, hi float64, err error) {
	a, b, isRange := strings.Cut(strings.TrimSpace(s), "-")
	if lo, err = strconv.ParseFloat(a, 64); err != nil {
		return 0, 0, fmt.Errorf("score %q", s)
	}
	hi = math.NaN()
	if isRange {
		if hi, err = strconv.ParseFloat(b, 64); err != nil || hi < lo {
			return 0, 0, fmt.Errorf("score range %q", s)
		}
	}
	return lo, hi, nil
}

// fill completes each band's top and checks the bands: levels one apart,
// highest first, scores falling with them and never overlapping.
func (t *TestTable) fill(a Ability) error {
	bs := t.Bands[a]
	for i := range bs {
		if i > 0 && (bs[i].Level != bs[i-1].Level-1 || bs[i].Min >= bs[i-1].Min) {
			return fmt.Errorf("bands out of order at level %d", bs[i].Level)
		}
		if math.IsNaN(bs[i].Top) {
			if i == 0 {
				bs[i].Top = t.Max[a]
			} else {
				bs[i].Top = bs[i-1].Min - t.Step
			}
		}
		if i > 0 && bs[i].Top >= bs[i-1].Min {
			return fmt.Errorf("level %d overlaps level %d", bs[i].Level, bs[i-1].Level)
		}
		if bs[i].Top > t.Max[a] {
			return fmt.Errorf("level %d goes above the test's maximum", bs[i].Level)
		}
	}
	return nil
}

// ErrNoTable: no chart is held for that test, or for a test taken that
// long ago.
var ErrNoTable = errors.New("crs: no equivalency chart for that test")

// ErrScore: a score the test cannot give (negative, above its maximum,
// between its steps, or in a gap of the chart).
var ErrScore = errors.New("crs: not a score of that test")

// Table returns the chart of a test (by its short name) for a test taken on
// date (YYYY-MM-DD; "" for today's tables).
func (s *Set) Table(test, date string) (*TestTable, error) {
	var found *TestTable
	for _, t := range s.tests {
		if t.Test != test {
			continue
		}
		if date == "" || t.From == "" || t.From <= date {
			if found == nil || t.From > found.From {
				found = t
			}
		}
	}
	if found == nil {
		return nil, ErrNoTable
	}
	return found, nil
}

// Tests lists the charts held.
func (s *Set) Tests() []*TestTable { return slices.Clone(s.tests) }

// Level converts one ability's score to its CLB/NCLC level; a score below
// the chart's lowest row gives that row's level less one (no points in any
// CRS table).
func (t *TestTable) Level(a Ability, score float64) (int, error) {
	if math.IsNaN(score) || score < 0 || score > t.Max[a] || math.Abs(score/t.Step-math.Round(score/t.Step)) > 1e-9 {
		return 0, ErrScore
	}
	bs := t.Bands[a]
	for _, b := range bs {
		if score >= b.Min && score <= b.Top {
			return b.Level, nil
		}
		if score > b.Top {
			return 0, ErrScore // in a gap between two printed ranges
		}
	}
	return max(bs[len(bs)-1].Level-1, 0), nil
}

// Result converts four scores (listening, reading, writing, speaking).
func (t *TestTable) Result(scores [4]float64) (Result, error) {
	r := Result{Taken: true}
	for _, a := range Abilities {
		l, err := t.Level(a, scores[a])
		if err != nil {
			return Result{}, err
		}
		r.Levels[a] = l
	}
	return r, nil
}
