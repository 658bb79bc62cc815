package crs

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// show writes a breakdown compactly, section by section, so a profile's
// expected score can be written by hand from IRCC's criteria:
//
//	A age education first second canada =core; B education language canada =spouse;
//	C edu+lang edu+canada  foreign+lang foreign+canada  certificate =skills;
//	D nomination, sibling, French, study, arranged employment =additional; T total
//
// "24>22" is a value before and after its cap; "B -" is no accompanying
// spouse.
func show(b Breakdown) string {
	var parts []string
	pts := func(s Section, f Factor) int { it, _ := s.Item(f); return it.Points }
	second, _ := b.Core.Item(SecondLanguage)
	sl := fmt.Sprint(second.Points)
	if second.Raw > second.Points {
		sl = fmt.Sprintf("%d>%d", second.Raw, second.Points)
	}
	parts = append(parts, fmt.Sprintf("A %d %d %d %s %d =%d", pts(b.Core, Age), pts(b.Core, Level), pts(b.Core, FirstLanguage), sl,
		pts(b.Core, CanadianWork), b.Core.Points))
	if b.Spouse {
		s := b.SpouseFactors
		parts = append(parts, fmt.Sprintf("B %d %d %d =%d", pts(s, SpouseEducation), pts(s, SpouseLanguage), pts(s, SpouseCanadianWork), s.Points))
	} else {
		parts = append(parts, "B -")
	}
	c := "C"
	for _, g := range b.Transferability.Groups {
		var vs []string
		for _, it := range g.Items {
			vs = append(vs, fmt.Sprint(it.Points))
		}
		v := strings.Join(vs, "+")
		if g.Raw > g.Points {
			v += fmt.Sprintf(">%d", g.Points)
		}
		c += " " + v
	}
	parts = append(parts, fmt.Sprintf("%s =%d", c, b.Transferability.Points))
	d := "D"
	abbr := map[Factor]string{Nomination: "pnp", Sibling: "sib", FrenchOK: "fr", StudyIn: "st", Arranged: "ae"}
	for _, g := range b.Additional.Groups {
		for _, it := range g.Items {
			d += fmt.Sprintf(" %s%d", abbr[it.Factor], it.Points)
		}
	}
	parts = append(parts, fmt.Sprintf("%s =%d", d, b.Additional.Points), fmt.Sprintf("T %d", b.Total))
	return strings.Join(parts, "; ")
}

// goldenProfiles were scored by hand from IRCC's "Comprehensive Ranking
// System (CRS) criteria" tables, not by running the code: each line of the
// want column is the sum a person with the criteria page open would write.
// date picks the rules ("" for the newest); offer is arranged employment,
// which the one-line form does not take (it scores 0 since 2025-03-25).
var goldenProfiles = []struct {
	name, date, offer, line, want string
}{
	{"issue example: spouse, transferability capped, French bonus", "", "",
		"age=29 education=bachelor english=9 french=7 canada=2 foreign=3 certificate=no study=1-2 sibling=yes pnp=no spouse=yes spouse_education=secondary spouse_language=5 spouse_canada=1",
		"A 100 112 116 12 46 =386; B 2 4 5 =11; C 25+25 50+50>50 0 =100; D sib15 fr50 st15 =80; T 577"},
	{"17, nothing scores", "", "", "age=17 education=none english=3",
		"A 0 0 0 0 0 =0; B -; C 0+0 0+0 0 =0; D =0; T 0"},
	{"18 single, CLB 4 scores 6", "", "", "age=18 education=secondary english=4",
		"A 99 30 24 0 0 =153; B -; C 0+0 0+0 0 =0; D =0; T 153"},
	{"18 with spouse, CLB 5", "", "", "age=18 education=secondary english=5 spouse=yes spouse_education=none",
		"A 90 28 24 0 0 =142; B 0 0 0 =0; C 0+0 0+0 0 =0; D =0; T 142"},
	{"19 single, CLB 6, one-year", "", "", "age=19 education=one-year english=6",
		"A 105 90 36 0 0 =231; B -; C 0+0 0+0 0 =0; D =0; T 231"},
	{"19 with spouse, spouse CLB 4 scores 0", "", "", "age=19 education=one-year english=6 spouse=yes spouse_language=4",
		"A 95 84 32 0 0 =211; B 0 0 0 =0; C 0+0 0+0 0 =0; D =0; T 211"},
	{"20 single, CLB 7, 1 year in Canada: lower cells", "", "", "age=20 education=two-year english=7 canada=1",
		"A 110 98 68 0 40 =316; B -; C 13+13 0+0 0 =26; D =0; T 342"},
	{"20 with spouse, two-year", "", "", "age=20 education=two-year english=7 canada=1 spouse=yes spouse_education=two-year spouse_language=6",
		"A 100 91 64 0 35 =290; B 7 4 0 =11; C 13+13 0+0 0 =26; D =0; T 327"},
	{"25 single, 1 year foreign, CLB 8", "", "", "age=25 education=bachelor english=8 foreign=1",
		"A 110 120 92 0 0 =322; B -; C 13+0 13+0 0 =26; D =0; T 348"},
	{"25 with spouse, 2 years foreign stays in the 1-2 year row", "", "", "age=25 education=bachelor english=8 foreign=2 spouse=yes spouse_education=bachelor spouse_language=7 spouse_canada=2",
		"A 100 112 88 0 0 =300; B 8 12 7 =27; C 13+0 13+0 0 =26; D =0; T 353"},
	{"29 single master's, both groups capped at 50", "", "", "age=29 education=master english=9 canada=3 foreign=3",
		"A 110 135 124 0 64 =433; B -; C 50+50>50 50+50>50 0 =100; D =0; T 533"},
	{"29 with spouse PhD, spouse at every maximum", "", "", "age=29 education=phd english=10 canada=5 spouse=yes spouse_education=phd spouse_language=9 spouse_canada=5",
		"A 100 140 128 0 70 =438; B 10 20 10 =40; C 50+50>50 0+0 0 =50; D =0; T 528"},
	{"30 single, per ability, one under 9: lower column", "", "", "age=30 education=two-or-more english=L9,R8,W8,S7",
		"A 105 128 94 0 0 =327; B -; C 25+0 0+0 0 =25; D =0; T 352"},
	{"30 with spouse, spouse language per ability", "", "", "age=30 education=two-or-more english=L10,R9,W9,S9 spouse=yes spouse_education=two-or-more spouse_language=L9,R7,W5,S4 spouse_canada=3",
		"A 95 119 119 0 0 =333; B 9 9 8 =26; C 50+0 0+0 0 =50; D =0; T 409"},
	{"31 single bilingual, second language 24", "", "", "age=31 education=bachelor english=9 french=9",
		"A 99 120 124 24 0 =367; B -; C 25+0 0+0 0 =25; D fr50 =50; T 442"},
	{"31 with spouse bilingual, second language capped at 22", "", "", "age=31 education=bachelor english=9 french=9 spouse=yes",
		"A 90 112 116 24>22 0 =340; B 0 0 0 =0; C 25+0 0+0 0 =25; D fr50 =50; T 415"},
	{"32 single, French only: 25", "", "", "age=32 education=secondary french=7",
		"A 94 30 68 0 0 =192; B -; C 0+0 0+0 0 =0; D fr25 =25; T 217"},
	{"32 with spouse, French first, English CLB 4: 25", "", "", "age=32 education=secondary french=8 english=4 spouse=yes",
		"A 85 28 88 0 0 =201; B 0 0 0 =0; C 0+0 0+0 0 =0; D fr25 =25; T 226"},
	{"33 single, NCLC 7 and CLB 7: 50", "", "", "age=33 education=one-year english=7 french=7",
		"A 88 90 68 12 0 =258; B -; C 13+0 0+0 0 =13; D fr50 =50; T 321"},
	{"33 with spouse, first=french", "", "", "age=33 education=one-year english=6 french=7 first=french spouse=yes",
		"A 80 84 64 4 0 =232; B 0 0 0 =0; C 13+0 0+0 0 =13; D fr50 =50; T 295"},
	{"33 with spouse, first=english overrides the stronger", "", "", "age=33 education=one-year english=6 french=7 first=english spouse=yes",
		"A 80 84 32 12 0 =208; B 0 0 0 =0; C 0+0 0+0 0 =0; D fr50 =50; T 258"},
	{"33 with spouse, the stronger language is first", "", "", "age=33 education=one-year english=6 french=7 spouse=yes",
		"A 80 84 64 4 0 =232; B 0 0 0 =0; C 13+0 0+0 0 =13; D fr50 =50; T 295"},
	{"34 single, three groups, total capped at 100", "", "", "age=34 education=bachelor english=9 canada=2 foreign=2 certificate=yes",
		"A 83 120 124 0 53 =380; B -; C 25+25 25+25 50 =100; D =0; T 480"},
	{"34 with spouse, certificate with CLB 7: 50", "", "", "age=34 education=bachelor english=7 certificate=yes foreign=3 spouse=yes",
		"A 75 112 64 0 0 =251; B 0 0 0 =0; C 13+0 25+0 50 =88; D =0; T 339"},
	{"35 single, certificate with CLB 5: 25", "", "", "age=35 education=two-year english=5 certificate=yes",
		"A 77 98 24 0 0 =199; B -; C 0+0 0+0 25 =25; D =0; T 224"},
	{"35 with spouse, certificate with CLB 6: 25", "", "", "age=35 education=two-year english=6 certificate=yes spouse=yes spouse_language=8",
		"A 70 91 32 0 0 =193; B 0 12 0 =12; C 0+0 0+0 25 =25; D =0; T 230"},
	{"36 single, certificate with CLB 4: 0", "", "", "age=36 education=phd english=4 certificate=yes",
		"A 72 150 24 0 0 =246; B -; C 0+0 0+0 0 =0; D =0; T 246"},
	{"36 with spouse, 4 years in Canada", "", "", "age=36 education=master english=10 canada=4 spouse=yes spouse_education=master spouse_language=10 spouse_canada=4",
		"A 65 126 128 0 63 =382; B 10 20 9 =39; C 50+50>50 0+0 0 =50; D =0; T 471"},
	{"37 single, French NCLC 5 as second language", "", "", "age=37 education=master english=9 french=5",
		"A 66 135 124 4 0 =329; B -; C 50+0 0+0 0 =50; D =0; T 379"},
	{"37 with spouse, secondary gets no transferability", "", "", "age=37 education=secondary english=10 french=10 spouse=yes spouse_education=secondary spouse_language=4",
		"A 60 28 128 24>22 0 =238; B 2 0 0 =2; C 0+0 0+0 0 =0; D fr50 =50; T 290"},
	{"38 single, 1 year here and abroad", "", "", "age=38 education=bachelor english=8 canada=1 foreign=1",
		"A 61 120 92 0 40 =313; B -; C 13+13 13+13 0 =52; D =0; T 365"},
	{"38 with spouse, spouse one-year and 2 years in Canada", "", "", "age=38 education=bachelor english=8 canada=1 foreign=1 spouse=yes spouse_education=one-year spouse_canada=2",
		"A 55 112 88 0 35 =290; B 6 0 7 =13; C 13+13 13+13 0 =52; D =0; T 355"},
	{"39 single, upper and 1-year cells over the group caps", "", "", "age=39 education=two-or-more english=9 canada=1 foreign=3",
		"A 55 128 124 0 40 =347; B -; C 50+25>50 50+25>50 0 =100; D =0; T 447"},
	{"39 with spouse, lower cells of the top rows", "", "", "age=39 education=two-or-more english=7 canada=1 foreign=3 spouse=yes",
		"A 50 119 64 0 35 =268; B 0 0 0 =0; C 25+25 25+25 0 =100; D =0; T 368"},
	{"40 single, study 1-2", "", "", "age=40 education=one-year english=9 study=1-2",
		"A 50 90 124 0 0 =264; B -; C 25+0 0+0 0 =25; D st15 =15; T 304"},
	{"40 with spouse, study 3+", "", "", "age=40 education=two-year english=9 study=3+ spouse=yes",
		"A 45 91 116 0 0 =252; B 0 0 0 =0; C 25+0 0+0 0 =25; D st30 =30; T 307"},
	{"41 single, sibling", "", "", "age=41 education=master english=9 sibling=yes",
		"A 39 135 124 0 0 =298; B -; C 50+0 0+0 0 =50; D sib15 =15; T 363"},
	{"41 with spouse, nomination", "", "", "age=41 education=master english=9 pnp=yes spouse=yes",
		"A 35 126 116 0 0 =277; B 0 0 0 =0; C 50+0 0+0 0 =50; D pnp600 =600; T 927"},
	{"42 single, additional points capped at 600", "", "", "age=42 education=phd english=10 french=9 pnp=yes sibling=yes study=3+",
		"A 28 150 136 24 0 =338; B -; C 50+0 0+0 0 =50; D pnp600 sib15 fr50 st30 =600; T 988"},
	{"42 with spouse, every cap at once", "", "", "age=42 education=phd english=10 french=10 canada=5 foreign=3 certificate=yes pnp=yes sibling=yes study=3+ spouse=yes spouse_education=phd spouse_language=10 spouse_canada=5",
		"A 25 140 128 24>22 70 =385; B 10 20 10 =40; C 50+50>50 50+50>50 50 =100; D pnp600 sib15 fr50 st30 =600; T 1125"},
	{"the highest score: 1,200", "", "", "age=25 education=phd english=10 french=10 canada=5 foreign=3 certificate=yes pnp=yes sibling=yes study=3+",
		"A 110 150 136 24 80 =500; B -; C 50+50>50 50+50>50 50 =100; D pnp600 sib15 fr50 st30 =600; T 1200"},
	{"43 single", "", "", "age=43 education=bachelor english=9",
		"A 17 120 124 0 0 =261; B -; C 25+0 0+0 0 =25; D =0; T 286"},
	{"43 with spouse", "", "", "age=43 education=bachelor english=9 spouse=yes",
		"A 15 112 116 0 0 =243; B 0 0 0 =0; C 25+0 0+0 0 =25; D =0; T 268"},
	{"44 single, 3 years in Canada with a two-year program", "", "", "age=44 education=two-year english=8 canada=3",
		"A 6 98 92 0 64 =260; B -; C 13+25 0+0 0 =38; D =0; T 298"},
	{"44 with spouse", "", "", "age=44 education=two-year english=8 canada=3 spouse=yes",
		"A 5 91 88 0 56 =240; B 0 0 0 =0; C 13+25 0+0 0 =38; D =0; T 278"},
	{"45 single: no age points", "", "", "age=45 education=master english=9 canada=2",
		"A 0 135 124 0 53 =312; B -; C 50+50>50 0+0 0 =50; D =0; T 362"},
	{"50 with spouse", "", "", "age=50 education=master english=9 canada=2 spouse=yes",
		"A 0 126 116 0 46 =288; B 0 0 0 =0; C 50+50>50 0+0 0 =50; D =0; T 338"},
	{"27 single, CLB 12 scores as 10 or more", "", "", "age=27 education=bachelor english=12",
		"A 110 120 136 0 0 =366; B -; C 25+0 0+0 0 =25; D =0; T 391"},
	{"28 single, each ability in a different band", "", "", "age=28 education=secondary english=L3,R4,W6,S12",
		"A 110 30 49 0 0 =189; B -; C 0+0 0+0 0 =0; D =0; T 189"},
	{"26 with spouse, CLB 4 in one ability: no transferability", "", "", "age=26 education=one-year english=L4,R5,W8,S11 spouse=yes spouse_education=master spouse_language=L4,R6,W8,S9",
		"A 100 84 66 0 0 =250; B 10 9 0 =19; C 0+0 0+0 0 =0; D =0; T 269"},
	{"21 single, second language per ability, no French bonus", "", "", "age=21 education=bachelor english=9 french=L4,R6,W8,S9",
		"A 110 120 124 10 0 =364; B -; C 25+0 0+0 0 =25; D =0; T 389"},
	{"22 single, secondary with Canadian work: no transferability", "", "", "age=22 education=secondary english=9 canada=2",
		"A 110 30 124 0 53 =317; B -; C 0+0 0+0 0 =0; D =0; T 317"},
	{"23 single, foreign work with CLB 6 and no Canadian work: 0", "", "", "age=23 education=bachelor english=6 foreign=3",
		"A 110 120 36 0 0 =266; B -; C 0+0 0+0 0 =0; D =0; T 266"},
	{"24 with spouse, Canadian work carries transferability alone", "", "", "age=24 education=bachelor english=6 foreign=3 canada=2 spouse=yes",
		"A 100 112 32 0 46 =290; B 0 0 0 =0; C 0+25 0+50 0 =75; D =0; T 365"},
	{"46 single, certificate with one ability at 6: 25", "", "", "age=46 education=two-year english=L7,R7,W6,S7 certificate=yes",
		"A 0 98 60 0 0 =158; B -; C 0+0 0+0 25 =25; D =0; T 183"},
	{"French first, English CLB 4 in one ability: 25", "", "", "age=29 education=bachelor french=7 english=L5,R5,W5,S4",
		"A 110 120 68 3 0 =301; B -; C 13+0 0+0 0 =13; D fr25 =25; T 339"},
	{"NCLC 6 in one French ability: no French points", "", "", "age=29 education=bachelor english=9 french=L7,R7,W7,S6",
		"A 110 120 124 10 0 =364; B -; C 25+0 0+0 0 =25; D =0; T 389"},
	{"the day before 2025-03-25: a senior manager's offer, 200", "2025-03-24", "major00", "age=29 education=bachelor english=9",
		"A 110 120 124 0 0 =354; B -; C 25+0 0+0 0 =25; D ae200 =200; T 579"},
	{"2025-03-25: the same offer scores 0", "2025-03-25", "major00", "age=29 education=bachelor english=9",
		"A 110 120 124 0 0 =354; B -; C 25+0 0+0 0 =25; D ae0 =0; T 379"},
	{"2024: another qualifying offer, 50", "2024-06-01", "other", "age=35 education=master english=8 spouse=yes",
		"A 70 126 88 0 0 =284; B 0 0 0 =0; C 25+0 0+0 0 =25; D ae50 =50; T 359"},
	{"after 2025-03-25: the same offer scores 0", "2026-08-20", "other", "age=35 education=master english=8 spouse=yes",
		"A 70 126 88 0 0 =284; B 0 0 0 =0; C 25+0 0+0 0 =25; D ae0 =0; T 309"},
	{"a spouse who does not come scores as single", "", "", "age=29 education=bachelor english=9 spouse=no spouse_education=phd spouse_language=10",
		"A 110 120 124 0 0 =354; B -; C 25+0 0+0 0 =25; D =0; T 379"},
	{"IELTS General Training scores, CLB 10 in all four", "", "", "age=29 education=bachelor english=ielts:8.5,8,7.5,7.5",
		"A 110 120 136 0 0 =366; B -; C 25+0 0+0 0 =25; D =0; T 391"},
	{"CELPIP and TEF Canada, English first", "", "", "age=33 education=bachelor english=celpip:9,9,9,9 french=tef:546,503,472,456",
		"A 88 120 124 18 0 =350; B -; C 25+0 0+0 0 =25; D fr50 =50; T 425"},
	{"PTE Core, CLB 9 in all four", "", "", "age=29 education=master english=pte:L82,R78,W88,S84",
		"A 110 135 124 0 0 =369; B -; C 50+0 0+0 0 =50; D =0; T 419"},
	{"TCF Canada, French only", "", "", "age=30 education=phd french=tcf:549,524,16,16",
		"A 105 150 133 0 0 =388; B -; C 50+0 0+0 0 =50; D fr25 =25; T 463"},
	{"IELTS listening 4.0 is below CLB 4", "", "", "age=29 education=secondary english=ielts:4.0,3.5,4.0,4.0",
		"A 110 30 18 0 0 =158; B -; C 0+0 0+0 0 =0; D =0; T 158"},
}

// Every golden profile scores as written by hand.
func TestGoldenProfiles(t *testing.T) {
	s := Default()
	if len(goldenProfiles) < 60 {
		t.Fatalf("%d golden profiles, want at least 60", len(goldenProfiles))
	}
	for _, g := range goldenProfiles {
		date := g.date
		if date == "" {
			date = "2026-08-20"
		}
		l, err := s.ParseLine(g.line, date)
		if err != nil {
			t.Errorf("%s: %v", g.name, err)
			continue
		}
		l.Profile.Offer = Offer(g.offer)
		r, ok := s.At(date)
		if !ok {
			t.Fatalf("%s: no rules on %s", g.name, date)
		}
		if got := show(r.Score(l.Profile)); got != g.want {
			t.Errorf("%s:\n got %s\nwant %s", g.name, got, g.want)
		}
	}
	t.Logf("%d golden profiles", len(goldenProfiles))
}

// The ignored spouse keys are reported, so the answer can say so.
func TestSpouseKeysIgnoredWhenSingle(t *testing.T) {
	l, err := Default().ParseLine("age=29 education=bachelor english=9 spouse=no spouse_education=phd spouse_language=10", "")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"spouse_education", "spouse_language"}; !slices.Equal(l.Ignored, want) {
		t.Errorf("ignored %v, want %v", l.Ignored, want)
	}
}
