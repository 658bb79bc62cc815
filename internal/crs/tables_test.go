package crs

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/eebot/eebot/data"
)

// embedded returns one of the data/crs files.
func embedded(t *testing.T, name string) string {
	t.Helper()
	b, err := fs.ReadFile(data.CRS, "crs/"+name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// IRCC's CRS criteria tables, typed again from the published page
// independently of data/crs (see PROVENANCE.md), row by row: the loaded
// rules must give every cell.
func TestRulesMatchIRCCTables(t *testing.T) {
	s := Default()
	for _, r := range s.Versions() {
		t.Run(r.Effective, func(t *testing.T) { checkTables(t, r) })
	}
}

func checkTables(t *testing.T, r *Rules) {
	// Age: with spouse, without spouse.
	ages := map[int][2]int{17: {0, 0}, 18: {90, 99}, 19: {95, 105}, 30: {95, 105}, 31: {90, 99}, 32: {85, 94}, 33: {80, 88},
		34: {75, 83}, 35: {70, 77}, 36: {65, 72}, 37: {60, 66}, 38: {55, 61}, 39: {50, 55}, 40: {45, 50}, 41: {35, 39},
		42: {25, 28}, 43: {15, 17}, 44: {5, 6}, 45: {0, 0}}
	for a := 20; a <= 29; a++ {
		ages[a] = [2]int{100, 110}
	}
	for a := 0; a <= 17; a++ {
		ages[a] = [2]int{0, 0}
	}
	for a := 45; a <= 99; a++ {
		ages[a] = [2]int{0, 0}
	}
	for age, want := range ages {
		row := band(r.Core.Age, age)
		if row[1] != want[0] || row[2] != want[1] {
			t.Errorf("age %d: %d/%d, want %d/%d", age, row[1], row[2], want[0], want[1])
		}
	}
	edu := map[Education][3]int{ // with spouse, without, spouse's own
		EduNone: {0, 0, 0}, EduSecondary: {28, 30, 2}, EduOneYear: {84, 90, 6}, EduTwoYear: {91, 98, 7},
		EduBachelor: {112, 120, 8}, EduTwoOrMore: {119, 128, 9}, EduMaster: {126, 135, 10}, EduPhD: {140, 150, 10},
	}
	for e, want := range edu {
		if got := r.Core.Education[e]; got[0] != want[0] || got[1] != want[1] {
			t.Errorf("education %s: %v, want %v", e, got, want[:2])
		}
		if got := r.SpouseFactors.Education[e]; got != want[2] {
			t.Errorf("spouse education %s: %d, want %d", e, got, want[2])
		}
	}
	// Per ability, by CLB 0 to 12: first official language (with, without),
	// second official language, spouse's language.
	first := [13][2]int{{0, 0}, {0, 0}, {0, 0}, {0, 0}, {6, 6}, {6, 6}, {8, 9}, {16, 17}, {22, 23}, {29, 31}, {32, 34}, {32, 34}, {32, 34}}
	second := [13]int{0, 0, 0, 0, 0, 1, 1, 3, 3, 6, 6, 6, 6}
	spouseLang := [13]int{0, 0, 0, 0, 0, 1, 1, 3, 3, 5, 5, 5, 5}
	for clb := 0; clb <= 12; clb++ {
		if row := band(r.Core.FirstLanguage, clb); row[1] != first[clb][0] || row[2] != first[clb][1] {
			t.Errorf("first language CLB %d: %d/%d, want %v", clb, row[1], row[2], first[clb])
		}
		if row := band(r.Core.SecondLanguage, clb); row[1] != second[clb] || row[2] != second[clb] {
			t.Errorf("second language CLB %d: %d/%d, want %d", clb, row[1], row[2], second[clb])
		}
		if row := band(r.SpouseFactors.Language, clb); row[1] != spouseLang[clb] {
			t.Errorf("spouse language CLB %d: %d, want %d", clb, row[1], spouseLang[clb])
		}
	}
	// Canadian work experience, 0 to 7 years: with, without, spouse's.
	work := [8][3]int{{0, 0, 0}, {35, 40, 5}, {46, 53, 7}, {56, 64, 8}, {63, 72, 9}, {70, 80, 10}, {70, 80, 10}, {70, 80, 10}}
	for y, want := range work {
		if row := band(r.Core.CanadianWork, y); row[1] != want[0] || row[2] != want[1] {
			t.Errorf("Canadian work %d years: %d/%d, want %v", y, row[1], row[2], want[:2])
		}
		if row := band(r.SpouseFactors.CanadianWork, y); row[1] != want[2] {
			t.Errorf("spouse Canadian work %d years: %d, want %d", y, row[1], want[2])
		}
	}
	c := r.Caps
	if c.Core != [2]int{460, 500} || c.SecondLanguage != [2]int{22, 24} || c.Spouse != 40 || c.Transferability != 100 ||
		c.TransferabilityGroup != 50 || c.Additional != 600 || c.Total != 1200 {
		t.Errorf("caps %+v", c)
	}
	a := r.Additional
	if a.Nomination != 600 || a.Sibling != 15 || a.Study[StudyShort] != 15 || a.Study[StudyLong] != 30 || a.Study[StudyNone] != 0 ||
		a.FrenchNCLC != 7 || a.FrenchEnglish != 5 || a.FrenchAlone != 25 || a.FrenchBoth != 50 {
		t.Errorf("additional %+v", a)
	}
	offer := [2]int{a.Offer["major00"], a.Offer["other"]}
	if want := map[bool][2]int{true: {0, 0}, false: {200, 50}}[r.Effective >= "2025-03-25"]; offer != want {
		t.Errorf("arranged employment %v, want %v", offer, want)
	}
}

// Every cell of the skill transferability tables, through Score: the
// education tables by level and column, the foreign work tables by years
// and column, the certificate of qualification by CLB.
func TestTransferabilityCells(t *testing.T) {
	r := Default().Latest()
	tier := map[Education]int{EduNone: 0, EduSecondary: 0, EduOneYear: 1, EduTwoYear: 1, EduBachelor: 1, EduTwoOrMore: 2, EduMaster: 2, EduPhD: 2}
	// [tier][column]: no column, lower (CLB 7/1 year), upper (CLB 9/2 years).
	cells := [3][3]int{{0, 0, 0}, {0, 13, 25}, {0, 25, 50}}
	for _, e := range Educations {
		for col, clb := range []int{6, 7, 9} {
			b := r.Score(Profile{Age: 30, Education: e, English: Same(clb)})
			if it, _ := b.Transferability.Item(EducationLanguage); it.Points != cells[tier[e]][col] {
				t.Errorf("%s with CLB %d: %d, want %d", e, clb, it.Points, cells[tier[e]][col])
			}
		}
		for col, years := range []int{0, 1, 2} {
			b := r.Score(Profile{Age: 30, Education: e, English: Same(4), CanadianWork: years})
			if it, _ := b.Transferability.Item(EducationCanadian); it.Points != cells[tier[e]][col] {
				t.Errorf("%s with %d years in Canada: %d, want %d", e, years, it.Points, cells[tier[e]][col])
			}
		}
	}
	foreignTier := []int{0, 1, 1, 2, 2, 2}
	for years, ft := range foreignTier {
		for col, clb := range []int{6, 8, 10} {
			b := r.Score(Profile{Age: 30, English: Same(clb), ForeignWork: years})
			if it, _ := b.Transferability.Item(ForeignLanguage); it.Points != cells[ft][col] {
				t.Errorf("%d foreign years with CLB %d: %d, want %d", years, clb, it.Points, cells[ft][col])
			}
		}
		for col, cy := range []int{0, 1, 3} {
			b := r.Score(Profile{Age: 30, English: Same(4), ForeignWork: years, CanadianWork: cy})
			if it, _ := b.Transferability.Item(ForeignCanadian); it.Points != cells[ft][col] {
				t.Errorf("%d foreign years with %d in Canada: %d, want %d", years, cy, it.Points, cells[ft][col])
			}
		}
	}
	cert := [13]int{0, 0, 0, 0, 0, 25, 25, 50, 50, 50, 50, 50, 50}
	for clb, want := range cert {
		for _, has := range []bool{true, false} {
			b := r.Score(Profile{Age: 30, English: Same(clb), Certificate: has})
			w := want
			if !has {
				w = 0
			}
			if it, _ := b.Transferability.Item(CertificateLanguage); it.Points != w {
				t.Errorf("certificate %v with CLB %d: %d, want %d", has, clb, it.Points, w)
			}
		}
	}
}

// IRCC's equivalency charts, typed again from the published tables
// (reading, writing, listening, speaking): the lowest score of each level,
// and for ranges the highest.
func TestLanguageChartsMatchIRCC(t *testing.T) {
	s := Default()
	type row struct {
		level int
		cells [4]string // reading, writing, listening, speaking
	}
	charts := map[string][]row{
		"celpip": {{10, [4]string{"10", "10", "10", "10"}}, {9, [4]string{"9", "9", "9", "9"}}, {8, [4]string{"8", "8", "8", "8"}},
			{7, [4]string{"7", "7", "7", "7"}}, {6, [4]string{"6", "6", "6", "6"}}, {5, [4]string{"5", "5", "5", "5"}}, {4, [4]string{"4", "4", "4", "4"}}},
		"ielts": {{10, [4]string{"8", "7.5", "8.5", "7.5"}}, {9, [4]string{"7", "7", "8", "7"}}, {8, [4]string{"6.5", "6.5", "7.5", "6.5"}},
			{7, [4]string{"6", "6", "6", "6"}}, {6, [4]string{"5", "5.5", "5.5", "5.5"}}, {5, [4]string{"4", "5", "5", "5"}}, {4, [4]string{"3.5", "4", "4.5", "4"}}},
		"pte": {{10, [4]string{"88-90", "90-90", "89-90", "89-90"}}, {9, [4]string{"78-87", "88-89", "82-88", "84-88"}},
			{8, [4]string{"69-77", "79-87", "71-81", "76-83"}}, {7, [4]string{"60-68", "69-78", "60-70", "68-75"}},
			{6, [4]string{"51-59", "60-68", "50-59", "59-67"}}, {5, [4]string{"42-50", "51-59", "39-49", "51-58"}},
			{4, [4]string{"33-41", "41-50", "28-38", "42-50"}}, {3, [4]string{"24-32", "32-40", "18-27", "34-41"}}},
		"tef": {{10, [4]string{"546-699", "558-699", "546-699", "556-699"}}, {9, [4]string{"503-545", "512-557", "503-545", "518-555"}},
			{8, [4]string{"462-502", "472-511", "462-502", "494-517"}}, {7, [4]string{"434-461", "428-471", "434-461", "456-493"}},
			{6, [4]string{"393-433", "379-427", "393-433", "422-455"}}, {5, [4]string{"352-392", "330-378", "352-392", "387-421"}},
			{4, [4]string{"306-351", "268-329", "306-351", "328-386"}}},
		"tcf": {{10, [4]string{"549-699", "16-20", "549-699", "16-20"}}, {9, [4]string{"524-548", "14-15", "523-548", "14-15"}},
			{8, [4]string{"499-523", "12-13", "503-522", "12-13"}}, {7, [4]string{"453-498", "10-11", "458-502", "10-11"}},
			{6, [4]string{"406-452", "7-9", "398-457", "7-9"}}, {5, [4]string{"375-405", "6-6", "369-397", "6-6"}},
			{4, [4]string{"342-374", "4-5", "331-368", "4-5"}}},
	}
	for name, rows := range charts {
		tt, err := s.Table(name, "2026-08-20")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, rw := range rows {
			for c, a := range chartColumns {
				lo, hi, err := scoreRange(rw.cells[c])
				if err != nil {
					t.Fatal(err)
				}
				if got, err := tt.Level(a, lo); err != nil || got != rw.level {
					t.Errorf("%s %v %v: level %d (%v), want %d", name, a, lo, got, err, rw.level)
				}
				if hi == hi { // a range: its top gives the level too
					if got, err := tt.Level(a, hi); err != nil || got != rw.level {
						t.Errorf("%s %v %v: level %d (%v), want %d", name, a, hi, got, err, rw.level)
					}
				}
			}
		}
		// Just below the lowest row: one level less, no error.
		last := rows[len(rows)-1]
		for c, a := range chartColumns {
			lo, _, _ := scoreRange(last.cells[c])
			if lo-tt.Step < 0 {
				continue
			}
			if got, err := tt.Level(a, lo-tt.Step); err != nil || got != last.level-1 {
				t.Errorf("%s %v below %v: %d (%v), want %d", name, a, lo, got, err, last.level-1)
			}
		}
	}
	if len(s.Tests()) != len(charts) {
		t.Errorf("%d charts held, %d checked", len(s.Tests()), len(charts))
	}
}

// Scores a test cannot give are refused; a TEF test older than the chart
// held has none.
func TestLanguageChartErrors(t *testing.T) {
	s := Default()
	bad := []struct {
		test  string
		a     Ability
		score float64
	}{{"ielts", Listening, 9.5}, {"ielts", Reading, 7.25}, {"ielts", Writing, -1}, {"pte", Speaking, 91}, {"tef", Reading, 700},
		{"tcf", Writing, 21}, {"celpip", Speaking, 13}, {"celpip", Reading, 9.5}}
	for _, b := range bad {
		tt, _ := s.Table(b.test, "")
		if _, err := tt.Level(b.a, b.score); !errors.Is(err, ErrScore) {
			t.Errorf("%s %v %v: %v, want ErrScore", b.test, b.a, b.score, err)
		}
	}
	if _, err := s.Table("tef", "2023-06-01"); !errors.Is(err, ErrNoTable) {
		t.Errorf("TEF of 2023-06-01: %v, want ErrNoTable", err)
	}
	if _, err := s.Table("toefl", ""); !errors.Is(err, ErrNoTable) {
		t.Errorf("TOEFL: %v, want ErrNoTable", err)
	}
}

// The rules in force by date: none before the first table held.
func TestRulesAt(t *testing.T) {
	s := Default()
	for date, want := range map[string]string{"2025-03-24": "2020-10-27", "2025-03-25": "2025-03-25", "2026-08-20": "2025-03-25", "2020-10-27": "2020-10-27"} {
		if r, ok := s.At(date); !ok || r.Effective != want {
			t.Errorf("%s: %v %v, want %s", date, r, ok, want)
		}
	}
	if _, ok := s.At("2019-01-01"); ok {
		t.Error("rules held for 2019")
	}
}

// A rules file that cannot be IRCC's table is refused with its name.
func TestLoadRefusesBadTables(t *testing.T) {
	good := embedded(t, "rules-2025-03-25.toml")
	cases := map[string]func(string) string{
		"missing level": func(s string) string { return strings.Replace(s, "education.phd = [140, 150]", "", 1) },
		"unknown key":   func(s string) string { return strings.Replace(s, "[caps]", "[caps]\nbonus = 3", 1) },
		"rows out of order": func(s string) string {
			return strings.Replace(s, "[19, 95, 105],\n  [20, 100, 110],", "[20, 100, 110],\n  [19, 95, 105],", 1)
		},
		"cap missing": func(s string) string { return strings.Replace(s, "total = 1200", "total = 0", 1) },
		"date mismatch": func(s string) string {
			return strings.Replace(s, `effective = "2025-03-25"`, `effective = "2025-03-26"`, 1)
		},
		"unknown offer": func(s string) string {
			return strings.Replace(s, "arranged_employment.other = 0", "arranged_employment.lmia = 0", 1)
		},
		"bad first band": func(s string) string { return strings.Replace(s, "[0, 0, 0],   # less than CLB 4", "[1, 0, 0],", 1) },
	}
	for name, edit := range cases {
		bad := edit(good)
		if bad == good {
			t.Errorf("%s: the edit changed nothing", name)
		}
		fsys := fstest.MapFS{"rules-2025-03-25.toml": {Data: []byte(bad)}}
		if _, err := Load(fsys); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
	if _, err := Load(fstest.MapFS{"rules-2025-03-25.toml": {Data: []byte(good)}}); err != nil {
		t.Errorf("the good file: %v", err)
	}
	if _, err := Load(fstest.MapFS{}); err == nil {
		t.Error("no files: loaded")
	}
	chart := embedded(t, "language-tests.toml")
	badChart := strings.Replace(chart, `["9", "78-87", "88-89", "82-88", "84-88"],`, `["9", "78-89", "88-89", "82-88", "84-88"],`, 1)
	if badChart == chart {
		t.Error("the chart edit changed nothing")
	}
	if _, err := Load(fstest.MapFS{"rules-2025-03-25.toml": {Data: []byte(good)}, "language-tests.toml": {Data: []byte(badChart)}}); err == nil {
		t.Error("overlapping PTE bands: loaded")
	}
}
