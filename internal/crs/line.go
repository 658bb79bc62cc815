package crs

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Keys are the keys of the one-line form, in the order they are written.
var Keys = []string{"age", "education", "english", "french", "first", "canada", "foreign", "certificate", "study", "sibling", "pnp",
	"spouse", "spouse_education", "spouse_language", "spouse_canada"}

// spouseKeys only count with spouse=yes.
var spouseKeys = []string{"spouse_education", "spouse_language", "spouse_canada"}

// LineErrorKind says what is wrong with a one-line profile.
type LineErrorKind int

// The kinds of errors, each naming the key.
const (
	ErrNotKeyValue  LineErrorKind = iota + 1 // a word that is not key=value
	ErrUnknownKey                            // a key the form does not have
	ErrRepeated                              // a key given twice
	ErrBadValue                              // a value the key cannot take; Allowed lists what it takes
	ErrMissing                               // a required key is absent
	ErrTestLanguage                          // a French test for English or the reverse
	ErrNoChart                               // a test whose chart is not held
)

// LineError is a problem with one key of a one-line profile, for the
// person to fix. Allowed is what the key takes, in words of the form
// ("none, secondary, …", "0 to 12", "15 to 99").
type LineError struct {
	Kind    LineErrorKind
	Key     string
	Value   string
	Allowed string
}

func (e *LineError) Error() string {
	return fmt.Sprintf("crs: %s=%s: kind %d (allowed: %s)", e.Key, e.Value, e.Kind, e.Allowed)
}

// Line is a parsed one-line profile.
type Line struct {
	Profile Profile
	// Ignored are spouse keys given without spouse=yes: the profile is
	// scored as single.
	Ignored []string
	// Tests names the language tests whose scores were converted, by key
	// ("english": "ielts").
	Tests map[string]string
}

// The limits of values people type.
const (
	minAge, maxAge = 15, 99
	maxYears       = 60
)

// ParseLine reads the one-line form:
//
//	age=29 education=bachelor english=9 french=7 canada=2 foreign=3
//	certificate=no study=1-2 sibling=yes pnp=no spouse=yes
//	spouse_education=secondary spouse_language=5 spouse_canada=1
//
// Languages are one CLB/NCLC level for all four abilities (9), per ability
// (L9,R8,W8,S7), or test scores converted with IRCC's charts
// (ielts:8,7,7,6.5 or ielts:L8,R7,W7,S6.5). date (YYYY-MM-DD) picks the
// charts; "" uses the newest. Errors are *LineError.
func (s *Set) ParseLine(text, date string) (Line, error) {
	out := Line{Tests: map[string]string{}}
	p := &out.Profile
	seen := map[string]string{}
	for _, w := range strings.Fields(text) {
		k, v, ok := strings.Cut(w, "=")
		k = strings.ToLower(strings.TrimSpace(k))
		if !ok || k == "" || v == "" {
			key := k
			if !ok {
				key = ""
			}
			return Line{}, &LineError{Kind: ErrNotKeyValue, Key: key, Value: w}
		}
		if !slices.Contains(Keys, k) {
			return Line{}, &LineError{Kind: ErrUnknownKey, Key: k, Value: v, Allowed: strings.Join(Keys, ", ")}
		}
		if _, dup := seen[k]; dup {
			return Line{}, &LineError{Kind: ErrRepeated, Key: k, Value: v}
		}
		seen[k] = v
	}
	for _, k := range []string{"age", "education"} {
		if _, ok := seen[k]; !ok {
			return Line{}, &LineError{Kind: ErrMissing, Key: k}
		}
	}
	if seen["english"] == "" && seen["french"] == "" {
		return Line{}, &LineError{Kind: ErrMissing, Key: "english", Allowed: "english, french"}
	}
	spouse := false
	if v, ok := seen["spouse"]; ok {
		b, err := yesNo("spouse", v)
		if err != nil {
			return Line{}, err
		}
		spouse = b
	}
	for _, k := range Keys {
		v, ok := seen[k]
		if !ok {
			continue
		}
		if !spouse && slices.Contains(spouseKeys, k) {
			out.Ignored = append(out.Ignored, k)
			continue
		}
		if err := s.set(&out, k, v, date); err != nil {
			return Line{}, err
		}
	}
	p.Spouse = spouse
	return out, nil
}

// set reads one key's value into the profile.
func (s *Set) set(out *Line, k, v, date string) error {
	p := &out.Profile
	lv := strings.ToLower(strings.TrimSpace(v))
	var err error
	switch k {
	case "age":
		p.Age, err = number(k, v, minAge, maxAge)
	case "education", "spouse_education":
		e, ok := educationAliases[lv]
		if !ok {
			return &LineError{Kind: ErrBadValue, Key: k, Value: v, Allowed: educationList()}
		}
		if k == "education" {
			p.Education = e
		} else {
			p.SpouseEducation = e
		}
	case "english", "french", "spouse_language":
		var r Result
		r, err = s.language(out, k, v, date)
		switch k {
		case "english":
			p.English = r
		case "french":
			p.French = r
		default:
			p.SpouseLanguage = r
		}
	case "first":
		switch lv {
		case "english", "en", "anglais":
			p.First = English
		case "french", "fr", "francais", "français":
			p.First = French
		default:
			return &LineError{Kind: ErrBadValue, Key: k, Value: v, Allowed: "english, french"}
		}
	case "canada":
		p.CanadianWork, err = years(k, v)
	case "foreign":
		p.ForeignWork, err = years(k, v)
	case "spouse_canada":
		p.SpouseCanadianWork, err = years(k, v)
	case "certificate":
		p.Certificate, err = yesNo(k, v)
	case "sibling":
		p.Sibling, err = yesNo(k, v)
	case "pnp":
		p.Nomination, err = yesNo(k, v)
	case "study":
		st, ok := studyAliases[lv]
		if !ok {
			return &LineError{Kind: ErrBadValue, Key: k, Value: v, Allowed: "none, 1-2, 3+"}
		}
		p.Study = st
	}
	return err
}

var educationAliases = map[string]Education{
	"none": EduNone, "no": EduNone, "less-than-secondary": EduNone,
	"secondary": EduSecondary, "high-school": EduSecondary, "highschool": EduSecondary, "secondaire": EduSecondary,
	"one-year": EduOneYear, "1-year": EduOneYear,
	"two-year": EduTwoYear, "2-year": EduTwoYear,
	"bachelor": EduBachelor, "bachelors": EduBachelor, "bachelor's": EduBachelor, "three-year": EduBachelor, "3-year": EduBachelor, "licence": EduBachelor,
	"two-or-more": EduTwoOrMore, "2-or-more": EduTwoOrMore,
	"master": EduMaster, "masters": EduMaster, "master's": EduMaster, "maitrise": EduMaster, "maîtrise": EduMaster, "professional": EduMaster,
	"phd": EduPhD, "doctorate": EduPhD, "doctoral": EduPhD, "doctorat": EduPhD,
}

func educationList() string {
	names := make([]string, len(Educations))
	for i, e := range Educations {
		names[i] = string(e)
	}
	return strings.Join(names, ", ")
}

var studyAliases = map[string]Study{
	"none": StudyNone, "no": StudyNone, "0": StudyNone,
	"1-2": StudyShort, "1": StudyShort, "2": StudyShort,
	"3+": StudyLong, "3": StudyLong, "4": StudyLong, "5": StudyLong,
}

func yesNo(k, v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "yes", "y", "true", "oui", "1":
		return true, nil
	case "no", "n", "false", "non", "0", "none":
		return false, nil
	}
	return false, &LineError{Kind: ErrBadValue, Key: k, Value: v, Allowed: "yes, no"}
}

func number(k, v string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < lo || n > hi {
		return 0, &LineError{Kind: ErrBadValue, Key: k, Value: v, Allowed: fmt.Sprintf("%d–%d", lo, hi)}
	}
	return n, nil
}

// years reads whole years of work: 0 to 60, "5+" for five or more.
func years(k, v string) (int, error) {
	t := strings.TrimSuffix(strings.TrimSpace(v), "+")
	n, err := strconv.Atoi(t)
	if err != nil || n < 0 || n > maxYears {
		return 0, &LineError{Kind: ErrBadValue, Key: k, Value: v, Allowed: "0–5+"}
	}
	return n, nil
}

// testOf maps a test's short name to its language (tests the charts hold).
func (s *Set) testOf(name string) (*TestTable, bool) {
	for _, t := range s.tests {
		if t.Test == name {
			return t, true
		}
	}
	return nil, false
}

// language reads a language value: 9, L9,R8,W8,S7, none, or
// test:scores.
func (s *Set) language(out *Line, k, v, date string) (Result, error) {
	lv := strings.ToLower(strings.TrimSpace(v))
	bad := &LineError{Kind: ErrBadValue, Key: k, Value: v, Allowed: "0–12, L9,R8,W8,S7"}
	if lv == "none" || lv == "no" {
		return Result{}, nil
	}
	if test, scores, ok := strings.Cut(lv, ":"); ok {
		if _, known := s.testOf(test); !known {
			return Result{}, &LineError{Kind: ErrBadValue, Key: k, Value: v, Allowed: s.testList()}
		}
		t, err := s.Table(test, date)
		if err != nil {
			return Result{}, &LineError{Kind: ErrNoChart, Key: k, Value: v}
		}
		if k == "english" && t.Language != English || k == "french" && t.Language != French {
			return Result{}, &LineError{Kind: ErrTestLanguage, Key: k, Value: v}
		}
		vals, ok := fourScores(scores)
		if !ok {
			return Result{}, &LineError{Kind: ErrBadValue, Key: k, Value: v, Allowed: test + ":L,R,W,S"}
		}
		r, err := t.Result(vals)
		if err != nil {
			return Result{}, &LineError{Kind: ErrBadValue, Key: k, Value: v, Allowed: t.rangeText()}
		}
		out.Tests[k] = test
		return r, nil
	}
	for _, p := range []string{"clb", "nclc"} {
		lv = strings.TrimPrefix(lv, p)
	}
	if n, err := strconv.Atoi(lv); err == nil {
		if n < 0 || n > MaxLevel {
			return Result{}, bad
		}
		return Same(n), nil
	}
	vals, ok := fourScores(lv)
	if !ok {
		return Result{}, bad
	}
	r := Result{Taken: true}
	for a, f := range vals {
		n := int(f)
		if float64(n) != f || n < 0 || n > MaxLevel {
			return Result{}, bad
		}
		r.Levels[a] = n
	}
	return r, nil
}

// fourScores reads four numbers: "8,7,7,6.5" in the order listening,
// reading, writing, speaking, or each marked with its ability in any order
// ("R7,L8,S6.5,W7").
func fourScores(s string) ([4]float64, bool) {
	parts := strings.Split(s, ",")
	var out [4]float64
	if len(parts) != 4 {
		return out, false
	}
	marked := map[byte]Ability{'l': Listening, 'r': Reading, 'w': Writing, 's': Speaking}
	got := map[Ability]bool{}
	for i, p := range parts {
		p = strings.TrimSpace(p)
		a := Abilities[i]
		if p != "" {
			if m, ok := marked[p[0]]; ok {
				a, p = m, p[1:]
			}
		}
		f, err := strconv.ParseFloat(p, 64)
		if err != nil || got[a] || f != f {
			return out, false
		}
		got[a] = true
		out[a] = f
	}
	return out, len(got) == 4
}

func (s *Set) testList() string {
	var names []string
	for _, t := range s.tests {
		if !slices.Contains(names, t.Test) {
			names = append(names, t.Test)
		}
	}
	return strings.Join(names, ", ")
}

// rangeText says what scores a test gives: "0–9", "0–699, 0–20".
func (t *TestTable) rangeText() string {
	var parts []string
	for _, a := range Abilities {
		r := "0–" + strconv.FormatFloat(t.Max[a], 'f', -1, 64)
		if !slices.Contains(parts, r) {
			parts = append(parts, r)
		}
	}
	return strings.Join(parts, ", ")
}

// IsLineError reports whether err is a problem with the person's line.
func IsLineError(err error) (*LineError, bool) {
	var le *LineError
	ok := errors.As(err, &le)
	return le, ok
}
