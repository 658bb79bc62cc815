package crs

import "sort"

// Change is a kind of change to a profile that can raise its score.
type Change string

// The changes Gains weighs: things a person can work on. Age, a sibling
// and a nomination are left out (the last is worth 600 to anyone).
const (
	RaiseFirst          Change = "first_language"  // every ability of the first official language to Level
	RaiseSecond         Change = "second_language" // every ability of the other official language to Level
	MoreCanadian        Change = "canadian_work"   // Years of Canadian work in all
	MoreForeign         Change = "foreign_work"    // Years of foreign work in all
	MoreEducation       Change = "education"       // the next level of education
	RaiseSpouseLanguage Change = "spouse_language"
	MoreSpouseCanadian  Change = "spouse_canadian_work"
)

// Gain is what one change would add, in all and by section.
type Gain struct {
	Change    Change
	Lang      Lang      // RaiseFirst, RaiseSecond
	Level     int       // the CLB/NCLC level of the language changes
	Years     int       // the years of the work changes
	Education Education // MoreEducation
	Points    int
	// By section: core, spouse factors, skill transferability, additional.
	Core, Spouse, Transferability, Additional int
}

// languageSteps are the levels a language change aims at: the thresholds
// where the CRS tables pay more (CLB 5, 7 and 9 for the transferability
// columns, the second language and the French points; 10 for the top of
// the first-language table).
var languageSteps = []int{5, 7, 9, 10}

// Gains returns the changes that would raise p's score most, at most n,
// largest first; none that would add nothing.
func (r *Rules) Gains(p Profile, n int) []Gain {
	base := r.Score(p)
	var out []Gain
	try := func(g Gain, q Profile) Gain {
		b := r.Score(q)
		g.Points = b.Total - base.Total
		g.Core = b.Core.Points - base.Core.Points
		g.Spouse = b.SpouseFactors.Points - base.SpouseFactors.Points
		g.Transferability = b.Transferability.Points - base.Transferability.Points
		g.Additional = b.Additional.Points - base.Additional.Points
		return g
	}
	keep := func(g Gain) {
		if g.Points > 0 {
			out = append(out, g)
		}
	}
	first := base.First
	if first == "" {
		first = English
	}
	// A language change aims at the step that pays most per level climbed.
	language := func(change Change, lang Lang, res Result, set func(*Profile, Result)) {
		best, bestRate := Gain{}, 0.0
		for _, step := range languageSteps {
			if change != RaiseFirst && step > 9 {
				continue // the second language and the spouse's stop paying at 9
			}
			from := res.Min()
			if step <= from {
				continue
			}
			q := p
			if q.First == "" {
				q.First = base.First // raising one language must not swap which is first
			}
			set(&q, res.AtLeast(step))
			g := try(Gain{Change: change, Lang: lang, Level: step}, q)
			if rate := float64(g.Points) / float64(step-from); g.Points > 0 && rate > bestRate {
				best, bestRate = g, rate
			}
		}
		keep(best)
	}
	language(RaiseFirst, first, p.result(first), func(q *Profile, r Result) { q.setResult(first, r) })
	second := first.other()
	language(RaiseSecond, second, p.result(second), func(q *Profile, r Result) { q.setResult(second, r) })
	if p.CanadianWork < 5 {
		q := p
		q.CanadianWork = max(p.CanadianWork, 0) + 1
		keep(try(Gain{Change: MoreCanadian, Years: q.CanadianWork}, q))
	}
	if p.ForeignWork < 3 {
		q := p
		q.ForeignWork = max(p.ForeignWork, 0) + 1
		keep(try(Gain{Change: MoreForeign, Years: q.ForeignWork}, q))
	}
	if rank := p.Education.Rank(); rank < len(Educations)-1 {
		q := p
		q.Education = Educations[max(rank, 0)+1]
		if rank < 0 {
			q.Education = EduSecondary
		}
		keep(try(Gain{Change: MoreEducation, Education: q.Education}, q))
	}
	if p.Spouse {
		language(RaiseSpouseLanguage, "", p.SpouseLanguage, func(q *Profile, r Result) { q.SpouseLanguage = r })
		if p.SpouseCanadianWork < 5 {
			q := p
			q.SpouseCanadianWork = max(p.SpouseCanadianWork, 0) + 1
			keep(try(Gain{Change: MoreSpouseCanadian, Years: q.SpouseCanadianWork}, q))
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Points > out[j].Points })
	if len(out) > n {
		out = out[:n]
	}
	return out
}

func (p *Profile) setResult(l Lang, r Result) {
	if l == French {
		p.French = r
	} else {
		p.English = r
	}
}
