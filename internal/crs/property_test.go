package crs

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// randomProfile draws a profile over every value the tables distinguish.
func randomProfile(rng *rand.Rand) Profile {
	res := func() Result {
		if rng.IntN(4) == 0 {
			return Result{}
		}
		r := Result{Taken: true}
		for i := range r.Levels {
			r.Levels[i] = rng.IntN(MaxLevel + 1)
		}
		return r
	}
	p := Profile{
		Age: 15 + rng.IntN(40), Education: Educations[rng.IntN(len(Educations))],
		English: res(), French: res(), CanadianWork: rng.IntN(7), ForeignWork: rng.IntN(5),
		Certificate: rng.IntN(2) == 0, Study: Studies[rng.IntN(len(Studies))], Sibling: rng.IntN(2) == 0,
		Nomination: rng.IntN(5) == 0, Spouse: rng.IntN(2) == 0, SpouseEducation: Educations[rng.IntN(len(Educations))],
		SpouseLanguage: res(), SpouseCanadianWork: rng.IntN(7),
	}
	switch rng.IntN(3) {
	case 1:
		p.First = English
	case 2:
		p.First = French
	}
	if rng.IntN(4) == 0 {
		p.Offer = []Offer{OfferMajor00, OfferOther}[rng.IntN(2)]
	}
	return p
}

const propertyRuns = 20000

// The total never exceeds 1,200, nor any section its cap, and the
// sections add up to the total.
func TestPropertyCaps(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, r := range Default().Versions() {
		for range propertyRuns {
			p := randomProfile(rng)
			b := r.Score(p)
			sum := b.Core.Points + b.SpouseFactors.Points + b.Transferability.Points + b.Additional.Points
			core := r.Caps.Core[col(b.Spouse)]
			switch {
			case b.Total < 0 || b.Total > 1200:
				t.Fatalf("%+v: total %d", p, b.Total)
			case b.Total != min(sum, 1200):
				t.Fatalf("%+v: total %d, sections %d", p, b.Total, sum)
			case b.Core.Points > core, b.SpouseFactors.Points > 40, b.Transferability.Points > 100, b.Additional.Points > 600:
				t.Fatalf("%+v: a section over its cap: %s", p, show(b))
			case b.Core.Points+b.SpouseFactors.Points > 500:
				t.Fatalf("%+v: core and spouse over 500", p)
			}
			for _, g := range b.Transferability.Groups {
				if g.Points > 50 {
					t.Fatalf("%+v: group %s %d", p, g.Name, g.Points)
				}
			}
		}
	}
}

// More of any factor never lowers the score (age excepted: the table
// rises to 20–29, then falls).
func TestPropertyMoreNeverLowers(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	more := map[string]func(p Profile, rng *rand.Rand) (Profile, bool){
		"education": func(p Profile, _ *rand.Rand) (Profile, bool) {
			k := p.Education.Rank()
			if k >= len(Educations)-1 {
				return p, false
			}
			p.Education = Educations[k+1]
			return p, true
		},
		"an English ability": func(p Profile, rng *rand.Rand) (Profile, bool) { up(&p.English, rng); return p, true },
		"a French ability":   func(p Profile, rng *rand.Rand) (Profile, bool) { up(&p.French, rng); return p, true },
		"a spouse's ability": func(p Profile, rng *rand.Rand) (Profile, bool) { up(&p.SpouseLanguage, rng); return p, true },
		"Canadian work":      func(p Profile, _ *rand.Rand) (Profile, bool) { p.CanadianWork++; return p, true },
		"foreign work":       func(p Profile, _ *rand.Rand) (Profile, bool) { p.ForeignWork++; return p, true },
		"spouse's Canadian work": func(p Profile, _ *rand.Rand) (Profile, bool) {
			p.SpouseCanadianWork++
			return p, true
		},
		"spouse's education": func(p Profile, _ *rand.Rand) (Profile, bool) {
			k := p.SpouseEducation.Rank()
			if k >= len(Educations)-1 {
				return p, false
			}
			p.SpouseEducation = Educations[k+1]
			return p, true
		},
		"a certificate": func(p Profile, _ *rand.Rand) (Profile, bool) { c := !p.Certificate; p.Certificate = true; return p, c },
		"a sibling":     func(p Profile, _ *rand.Rand) (Profile, bool) { c := !p.Sibling; p.Sibling = true; return p, c },
		"a nomination":  func(p Profile, _ *rand.Rand) (Profile, bool) { c := !p.Nomination; p.Nomination = true; return p, c },
		"study": func(p Profile, _ *rand.Rand) (Profile, bool) {
			switch p.Study {
			case StudyNone:
				p.Study = StudyShort
			case StudyShort:
				p.Study = StudyLong
			default:
				return p, false
			}
			return p, true
		},
	}
	for _, r := range Default().Versions() {
		for name, f := range more {
			for range propertyRuns / 10 {
				p := randomProfile(rng)
				q, changed := f(p, rng)
				if !changed {
					continue
				}
				if a, b := r.Score(p), r.Score(q); b.Total < a.Total {
					t.Fatalf("%s: more of %s lowered %d to %d\n%+v\n%+v\n%s\n%s", r.Effective, name, a.Total, b.Total, p, q, show(a), show(b))
				}
			}
		}
	}
}

// up raises one ability by a level (taking the test at level 0 first when
// there was none).
func up(r *Result, rng *rand.Rand) {
	if !r.Taken {
		*r = Same(0)
	}
	i := rng.IntN(4)
	r.Levels[i] = min(r.Levels[i]+1, MaxLevel)
}

// A spouse or partner who does not come to Canada (or is a citizen or
// permanent resident: Spouse false) leaves the score as single, whatever
// the spouse fields hold.
func TestPropertySpouseNotComingScoresAsSingle(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, r := range Default().Versions() {
		for range propertyRuns {
			p := randomProfile(rng)
			p.Spouse = false
			single := p
			single.SpouseEducation, single.SpouseLanguage, single.SpouseCanadianWork = "", Result{}, 0
			if a, b := r.Score(p), r.Score(single); show(a) != show(b) {
				t.Fatalf("%+v:\n%s\nas single:\n%s", p, show(a), show(b))
			}
		}
	}
}

// Without First, the score is the better of the two orders.
func TestPropertyStrongerLanguageFirst(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	r := Default().Latest()
	for range propertyRuns {
		p := randomProfile(rng)
		p.First = ""
		en, fr := p, p
		en.First, fr.First = English, French
		if got, want := r.Score(p).Total, max(r.Score(en).Total, r.Score(fr).Total); got != want {
			t.Fatalf("%+v: %d, want %d", p, got, want)
		}
	}
}

// Gains are real: applying the change gives the score plus the gain, and
// they come largest first.
func TestGains(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	r := Default().Latest()
	for range 3000 {
		p := randomProfile(rng)
		gs := r.Gains(p, 3)
		base := r.Score(p).Total
		for i, g := range gs {
			if g.Points <= 0 || i > 0 && g.Points > gs[i-1].Points {
				t.Fatalf("%+v: gains %+v", p, gs)
			}
			if g.Core+g.Spouse+g.Transferability+g.Additional < g.Points {
				t.Fatalf("%+v: %+v: sections do not add up", p, g)
			}
			q := apply(p, g, r)
			if got := r.Score(q).Total; got != base+g.Points {
				t.Fatalf("%+v: %+v gives %d, want %d", p, g, got, base+g.Points)
			}
		}
	}
	// The example: CLB 9 in all four abilities, +50 through skill
	// transferability (and 4 × 8 in the core) for someone at CLB 8 with a
	// master's and three years of foreign work; a first year of Canadian
	// work adds more (40 core, 25 + 25 transferability).
	p := Profile{Age: 29, Education: EduMaster, English: Same(8), ForeignWork: 3}
	want := []Gain{
		{Change: MoreCanadian, Years: 1, Points: 90, Core: 40, Transferability: 50},
		{Change: RaiseFirst, Lang: English, Level: 9, Points: 82, Core: 32, Transferability: 50},
		{Change: RaiseSecond, Lang: French, Level: 7, Points: 62, Core: 12, Additional: 50},
	}
	if gs := r.Gains(p, 3); !slices.Equal(gs, want) {
		t.Errorf("gains\n%+v, want\n%+v", gs, want)
	}
}

// apply makes the change a gain describes.
func apply(p Profile, g Gain, r *Rules) Profile {
	q := p
	switch g.Change {
	case RaiseFirst, RaiseSecond:
		if q.First == "" {
			q.First = r.Score(p).First
		}
		q.setResult(g.Lang, p.result(g.Lang).AtLeast(g.Level))
	case MoreCanadian:
		q.CanadianWork = g.Years
	case MoreForeign:
		q.ForeignWork = g.Years
	case MoreEducation:
		q.Education = g.Education
	case RaiseSpouseLanguage:
		q.SpouseLanguage = p.SpouseLanguage.AtLeast(g.Level)
	case MoreSpouseCanadian:
		q.SpouseCanadianWork = g.Years
	}
	return q
}

// BenchmarkScore is the cost of one profile: the score both ways round
// (English first and French first) and its breakdown.
func BenchmarkScore(b *testing.B) {
	s := Default()
	l, err := s.ParseLine("age=29 education=bachelor english=9 french=7 canada=2 foreign=3 certificate=no study=1-2 sibling=yes pnp=no spouse=yes spouse_education=secondary spouse_language=5 spouse_canada=1", "")
	if err != nil {
		b.Fatal(err)
	}
	r := s.Latest()
	b.ReportAllocs()
	for b.Loop() {
		r.Score(l.Profile)
	}
}

// BenchmarkScoreWithGains adds the three best changes (a dozen more
// scorings).
func BenchmarkScoreWithGains(b *testing.B) {
	s := Default()
	l, _ := s.ParseLine("age=29 education=bachelor english=9 french=7 canada=2 foreign=3 certificate=no study=1-2 sibling=yes pnp=no spouse=yes spouse_education=secondary spouse_language=5 spouse_canada=1", "")
	r := s.Latest()
	b.ReportAllocs()
	for b.Loop() {
		r.Score(l.Profile)
		r.Gains(l.Profile, 3)
	}
}
