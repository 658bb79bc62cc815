package crs

import (
	"strings"
	"testing"
)

// Each problem names the key, and says what it takes.
func TestParseLineErrors(t *testing.T) {
	s := Default()
	cases := []struct {
		line string
		kind LineErrorKind
		key  string
	}{
		{"age=29 education=bachelor english=9 salary=90000", ErrUnknownKey, "salary"},
		{"age=29 education=bachelor english=9 age=30", ErrRepeated, "age"},
		{"age=29 education=bachelor english", ErrNotKeyValue, ""},
		{"age=29 education=bachelor english=", ErrNotKeyValue, "english"},
		{"education=bachelor english=9", ErrMissing, "age"},
		{"age=29 english=9", ErrMissing, "education"},
		{"age=29 education=bachelor", ErrMissing, "english"},
		{"age=200 education=bachelor english=9", ErrBadValue, "age"},
		{"age=-3 education=bachelor english=9", ErrBadValue, "age"},
		{"age=twenty education=bachelor english=9", ErrBadValue, "age"},
		{"age=29 education=college english=9", ErrBadValue, "education"},
		{"age=29 education=bachelor english=13", ErrBadValue, "english"},
		{"age=29 education=bachelor english=L9,R8,W8", ErrBadValue, "english"},
		{"age=29 education=bachelor english=L9,R8,W8,W7", ErrBadValue, "english"},
		{"age=29 education=bachelor english=L9,R8,W8,S7.5", ErrBadValue, "english"},
		{"age=29 education=bachelor english=9 french=tef:700,500,500,500", ErrBadValue, "french"},
		{"age=29 education=bachelor english=tef:500,500,500,500", ErrTestLanguage, "english"},
		{"age=29 education=bachelor english=toefl:100,100,100,100", ErrBadValue, "english"},
		{"age=29 education=bachelor english=ielts:9.5,8,8,8", ErrBadValue, "english"},
		{"age=29 education=bachelor english=9 canada=-1", ErrBadValue, "canada"},
		{"age=29 education=bachelor english=9 foreign=lots", ErrBadValue, "foreign"},
		{"age=29 education=bachelor english=9 certificate=maybe", ErrBadValue, "certificate"},
		{"age=29 education=bachelor english=9 study=4-5", ErrBadValue, "study"},
		{"age=29 education=bachelor english=9 sibling=2", ErrBadValue, "sibling"},
		{"age=29 education=bachelor english=9 pnp=ontario", ErrBadValue, "pnp"},
		{"age=29 education=bachelor english=9 spouse=married", ErrBadValue, "spouse"},
		{"age=29 education=bachelor english=9 first=spanish", ErrBadValue, "first"},
		{"age=29 education=bachelor english=9 spouse=yes spouse_education=college", ErrBadValue, "spouse_education"},
		{"age=29 education=bachelor english=9 spouse=yes spouse_language=15", ErrBadValue, "spouse_language"},
		{"age=29 education=bachelor english=9 spouse=yes spouse_canada=100", ErrBadValue, "spouse_canada"},
	}
	for _, c := range cases {
		_, err := s.ParseLine(c.line, "")
		le, ok := IsLineError(err)
		if !ok {
			t.Errorf("%q: %v, want a LineError", c.line, err)
			continue
		}
		if le.Kind != c.kind || le.Key != c.key {
			t.Errorf("%q: kind %d key %q, want kind %d key %q", c.line, le.Kind, le.Key, c.kind, c.key)
		}
		if c.kind == ErrBadValue && le.Allowed == "" {
			t.Errorf("%q: no word of what %s takes", c.line, c.key)
		}
	}
}

// Keys and values in any case and order, aliases, years written 5+.
func TestParseLineForms(t *testing.T) {
	s := Default()
	a, err := s.ParseLine("Education=Masters AGE=31 english=CLB9 canada=5+ foreign=3+ study=3 spouse=Oui spouse_language=r7,l8,s6,w9 pnp=non", "")
	if err != nil {
		t.Fatal(err)
	}
	p := a.Profile
	if p.Education != EduMaster || p.Age != 31 || p.English != Same(9) || p.CanadianWork != 5 || p.ForeignWork != 3 ||
		p.Study != StudyLong || !p.Spouse || p.SpouseLanguage != Levels(8, 7, 9, 6) || p.Nomination {
		t.Errorf("%+v", p)
	}
	// The full line, about 250 characters, reads.
	full := "age=29 education=bachelor english=9 french=7 canada=2 foreign=3 certificate=no study=1-2 sibling=yes pnp=no spouse=yes spouse_education=secondary spouse_language=5 spouse_canada=1"
	if _, err := s.ParseLine(full, ""); err != nil {
		t.Errorf("%d characters: %v", len(full), err)
	}
	// Test scores convert and are reported.
	l, err := s.ParseLine("age=29 education=bachelor english=ielts:L8,R7,W7,S6.5 french=none", "")
	if err != nil {
		t.Fatal(err)
	}
	if l.Profile.English != Levels(9, 9, 9, 8) || l.Profile.French.Taken || l.Tests["english"] != "ielts" {
		t.Errorf("%+v %v", l.Profile.English, l.Tests)
	}
}

// FuzzParseLine: no line makes the parser panic; a line it accepts gives a
// profile within the form's limits, scored within 0–1,200; a line it
// refuses names a key (or the word that is not key=value).
func FuzzParseLine(f *testing.F) {
	for _, g := range goldenProfiles {
		f.Add(g.line)
	}
	for _, seed := range []string{"", "=", "age==29", "english=ielts:", "english=L,R,W,S", "spouse_language=pte:L90,R90,W90,S90",
		"age=29 education=phd french=tcf:699,699,20,20 first=fr", "english=ielts:NaN,8,8,8", "english=1e308,1,1,1"} {
		f.Add(seed)
	}
	s := Default()
	r := s.Latest()
	f.Fuzz(func(t *testing.T, line string) {
		l, err := s.ParseLine(line, "")
		if err != nil {
			le, ok := IsLineError(err)
			if !ok {
				t.Fatalf("%q: %v is not a LineError", line, err)
			}
			if le.Key == "" && le.Kind != ErrNotKeyValue {
				t.Fatalf("%q: %+v names no key", line, le)
			}
			if le.Kind == ErrUnknownKey && strings.Contains(le.Key, "=") {
				t.Fatalf("%q: key %q", line, le.Key)
			}
			return
		}
		p := l.Profile
		if p.Age < minAge || p.Age > maxAge || p.Education.Rank() < 0 || p.CanadianWork < 0 || p.CanadianWork > maxYears ||
			p.ForeignWork < 0 || p.SpouseCanadianWork < 0 {
			t.Fatalf("%q: %+v", line, p)
		}
		for _, res := range []Result{p.English, p.French, p.SpouseLanguage} {
			for _, lv := range res.Levels {
				if lv < 0 || lv > MaxLevel {
					t.Fatalf("%q: level %d", line, lv)
				}
			}
		}
		if b := r.Score(p); b.Total < 0 || b.Total > 1200 {
			t.Fatalf("%q: total %d", line, b.Total)
		}
		r.Gains(p, 3)
	})
}
