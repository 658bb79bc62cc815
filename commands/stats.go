package commands

import (
	"context"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/reply"
)

// defaultPeriod is what stats covers when no period is asked for.
const defaultPeriod = "last 12 months"

// summary is what stats says of a set of draws.
type summary struct {
	draws, invitations int
	lo, med, mean, hi  int
	first, last        domain.Draw
}

// summarize is what stats says of draws, ds non-empty and newest first.
func summarize(ds []domain.Draw) summary {
	s := summary{draws: len(ds), first: ds[len(ds)-1], last: ds[0]}
	crs := make([]int, len(ds))
	total := 0
	for i, d := range ds {
		crs[i] = d.CRS
		total += d.CRS
		s.invitations += d.Size
	}
	s.lo, s.med, s.hi = spread(crs)
	s.mean = (total + len(ds)/2) / len(ds)
	return s
}

// summarizeIn is summarize of the draws of a category in a period, added
// up in SQL; draws is 0 when there are none.
func (e *Engine) summarizeIn(ctx context.Context, key domain.Key, per period) (summary, error) {
	ds, err := e.store.SummarizeDraws(ctx, domain.DrawFilter{Category: key, From: per.from, To: per.to})
	if err != nil || ds.Draws == 0 {
		return summary{}, err
	}
	return summary{draws: ds.Draws, invitations: ds.Invitations, first: ds.Oldest, last: ds.Newest,
		lo: ds.MinCRS, med: ds.MedianCRS, hi: ds.MaxCRS, mean: (ds.SumCRS + ds.Draws/2) / ds.Draws}, nil
}

// line is a summary in one line, for the comparison period.
func (s summary) line(p i18n.Printer) string {
	return p.T("stats.compare", "Draws", countDraws(p, s.draws), "Invitations", countInvitations(p, s.invitations),
		"Lo", p.Num(s.lo), "Hi", p.Num(s.hi), "Med", p.Num(s.med))
}

// stats counts a category's draws and invitations over a period and
// describes their cutoffs, against the period just before.
func (e *Engine) stats(ctx context.Context, r Request) (reply.Reply, error) {
	p := r.p
	key, _ := r.Options.Category("category")
	per, ok := parsePeriod(r.Options.Text("period"), e.now())
	if !ok {
		per, _ = parsePeriod(defaultPeriod, e.now())
	}
	asOf, err := e.asOf(ctx)
	if err != nil {
		return reply.Reply{}, err
	}
	s, err := e.summarizeIn(ctx, key, per)
	if err != nil {
		return reply.Reply{}, err
	}
	foot := footer(p, "footer.feed", asOf)
	if s.draws == 0 {
		return reply.Reply{Status: reply.StatusNotFound, Title: p.T("draws.none_in", "Draws", drawsOf(p, key, 2), "Period", per.label(p)),
			Category: string(key), Source: feedSource, AsOf: asOf, Footer: foot}, nil
	}
	rep := reply.Reply{
		Title: p.T("stats.title", "Cat", catTitle(p, key), "Period", per.label(p), "Draws", countDraws(p, s.draws),
			"Invitations", countInvitations(p, s.invitations)),
		Category: string(key),
		Summary:  p.T("stats.cutoffs", "Lo", p.Num(s.lo), "Med", p.Num(s.med), "Mean", p.Num(s.mean), "Hi", p.Num(s.hi)),
		Lines: []string{p.T("stats.first_last", "First", s.first.Number, "FirstDate", p.Date(s.first.Date), "FirstCRS", p.Num(s.first.CRS),
			"Last", s.last.Number, "LastDate", p.Date(s.last.Date), "LastCRS", p.Num(s.last.CRS))},
		Links:  []reply.Link{{Label: p.T("link.round", "Number", s.last.Number), URL: s.last.URL}},
		Source: feedSource,
		AsOf:   asOf,
		Footer: foot,
	}
	if prev, ok := per.previous(); ok {
		ps, err := e.summarizeIn(ctx, key, prev)
		if err != nil {
			return reply.Reply{}, err
		}
		compare := p.T("stats.compare.none")
		if ps.draws > 0 {
			compare = ps.line(p)
		}
		rep.Lines = append(rep.Lines, p.T("stats.previous", "Period", upperFirst(prev.label(p)), "Compare", compare))
	}
	if key == "" {
		rep.Lines = append(rep.Lines, p.T("stats.all_types"))
	}
	if !ok {
		rep.Lines = append(rep.Lines, p.T("stats.default"))
	}
	return rep, nil
}

// upperFirst capitalises the first letter of a label that starts a line.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	switch {
	case r[0] >= 'a' && r[0] <= 'z':
		r[0] -= 'a' - 'A'
	case r[0] == 'é':
		r[0] = 'É'
	}
	return string(r)
}
