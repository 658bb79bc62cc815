package commands

import (
	"context"
	"slices"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/reply"
)

const matchDraws = 10

// spread returns min, median and max of xs (xs non-empty).
func spread(xs []int) (lo, med, hi int) {
	s := slices.Clone(xs)
	slices.Sort(s)
	lo, hi = s[0], s[len(s)-1]
	if n := len(s); n%2 == 1 {
		med = s[n/2]
	} else {
		med = (s[n/2-1] + s[n/2]) / 2
	}
	return lo, med, hi
}

// openDraws are the rounds most candidates compete in: program rounds
// that need no nomination, no French and no listed occupation.
var openDraws = []domain.Key{domain.CEC, domain.FSW, domain.General, domain.NoProgram}

// match compares a score with the last ten draws a person competes in:
// those of a category when one is given, else the open program rounds,
// and says which it counted.
func (e *Engine) match(ctx context.Context, r Request) (reply.Reply, error) {
	p := r.p
	score, given := r.Options.Int("score")
	saved := ""
	if !given {
		// The score the person saved with crs save, if they did.
		st, ok := e.store.(crsStore)
		if !ok || r.Caller.UserID == "" {
			return reply.Reply{}, invalid(p.T("arg.score.missing"))
		}
		_, s, found, err := st.CRSProfile(ctx, r.Caller.Platform, r.Caller.UserID)
		if err != nil {
			return reply.Reply{}, err
		}
		if !found {
			return reply.Reply{}, invalid(p.T("arg.score.missing"), p.T("match.no_saved"))
		}
		score, saved = s, p.T("match.saved", "Score", p.Num(s))
	}
	key, _ := r.Options.Category("category")
	asOf, err := e.asOf(ctx)
	if err != nil {
		return reply.Reply{}, err
	}
	var ds []domain.Draw
	if key == "" {
		recent, err := e.store.Draws(ctx, domain.DrawFilter{Limit: matchDraws * 10})
		if err != nil {
			return reply.Reply{}, err
		}
		for _, d := range recent {
			if slices.Contains(openDraws, d.Category) && len(ds) < matchDraws {
				ds = append(ds, d)
			}
		}
	} else if ds, err = e.store.Draws(ctx, domain.DrawFilter{Category: key, Limit: matchDraws}); err != nil {
		return reply.Reply{}, err
	}
	what := drawsOf(p, key, matchDraws)
	if key == "" {
		what = p.T("match.open_draws")
	}
	foot := footer(p, "footer.feed", asOf)
	if len(ds) == 0 {
		return reply.Reply{Status: reply.StatusNotFound, Private: true, Title: p.T("match.nothing", "What", what), Category: string(key), Source: feedSource, AsOf: asOf, Footer: foot}, nil
	}
	crs := make([]int, len(ds))
	cleared := 0
	for i, d := range ds {
		crs[i] = d.CRS
		if score >= d.CRS {
			cleared++
		}
	}
	lo, med, hi := spread(crs)
	latest, oldest := ds[0], ds[len(ds)-1]
	rep := reply.Reply{
		Title: p.T("match.title", "Score", p.Num(score), "Cleared", cleared, "N", len(ds), "Count", len(ds), "What", what),
		Summary: p.T("match.cutoffs", "Lo", p.Num(lo), "Med", p.Num(med), "Hi", p.Num(hi), "Latest", p.Num(latest.CRS),
			"Number", latest.Number, "Date", p.Date(latest.Date)),
		URL:      latest.URL,
		Category: string(key),
		Private:  true,
		Note:     p.T("not_advice"),
		Source:   feedSource,
		AsOf:     asOf,
		Footer:   foot,
		Links:    []reply.Link{{Label: p.T("link.round", "Number", latest.Number), URL: latest.URL}},
	}
	if saved != "" {
		rep.Lines = append(rep.Lines, saved)
	}
	if key == "" {
		rep.Lines = append(rep.Lines, p.T("match.counted.open", "From", p.Date(oldest.Date), "To", p.Date(latest.Date)))
	} else {
		rep.Lines = append(rep.Lines, p.T("match.counted", "What", what, "From", p.Date(oldest.Date), "To", p.Date(latest.Date)))
	}
	return rep, nil
}
