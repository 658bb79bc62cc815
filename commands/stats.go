package commands

import (
	"context"
	"fmt"

	"github.com/eebot/eebot/internal/domain"
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

// summarize needs ds non-empty, newest first.
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

func (s summary) line() string {
	return fmt.Sprintf("%s, %s invitations; cutoffs %d to %d (median %d)",
		plural(s.draws, "draw", "draws"), commas(s.invitations), s.lo, s.hi, s.med)
}

// stats counts a category's draws and invitations over a period and
// describes their cutoffs, against the period just before.
func (e *Engine) stats(ctx context.Context, r Request) (reply.Reply, error) {
	key, _ := r.Options.Category("category")
	p, ok := parsePeriod(r.Options.Text("period"), e.now())
	if !ok {
		p, _ = parsePeriod(defaultPeriod, e.now())
	}
	asOf, err := e.asOf(ctx)
	if err != nil {
		return reply.Reply{}, err
	}
	ds, err := e.drawsIn(ctx, key, p)
	if err != nil {
		return reply.Reply{}, err
	}
	what := "draws"
	if key != "" {
		what = label(key) + " draws"
	}
	if len(ds) == 0 {
		return reply.Reply{Status: reply.StatusNotFound, Title: fmt.Sprintf("No %s %s", what, p.label), Category: key, Source: feedSource, AsOf: asOf,
			Summary: fmt.Sprintf("IRCC held no %s %s (data as of %s).", what, p.label, asOf)}, nil
	}
	s := summarize(ds)
	rep := reply.Reply{
		Title:    fmt.Sprintf("%s %s", upperFirst(what), p.label),
		Category: key,
		Summary: fmt.Sprintf("%s and %s invitations %s. Cutoffs: lowest %d, median %d, mean %d, highest %d.",
			plural(s.draws, "draw", "draws"), commas(s.invitations), p.label, s.lo, s.med, s.mean, s.hi),
		Fields: []reply.Field{
			{Name: "Draws", Value: commas(s.draws), Inline: true},
			{Name: "Invitations", Value: commas(s.invitations), Inline: true},
			{Name: "Lowest cutoff", Value: fmt.Sprint(s.lo), Inline: true},
			{Name: "Median cutoff", Value: fmt.Sprint(s.med), Inline: true},
			{Name: "Mean cutoff", Value: fmt.Sprint(s.mean), Inline: true},
			{Name: "Highest cutoff", Value: fmt.Sprint(s.hi), Inline: true},
			{Name: "First", Value: fmt.Sprintf("#%s on %s, CRS %d", s.first.Number, s.first.Date, s.first.CRS), Inline: true},
			{Name: "Last", Value: fmt.Sprintf("#%s on %s, CRS %d", s.last.Number, s.last.Date, s.last.CRS), Inline: true},
		},
		Links:  []reply.Link{{Label: fmt.Sprintf("Official round #%s", s.last.Number), URL: s.last.URL}},
		Source: feedSource,
		AsOf:   asOf,
	}
	if prev, ok := p.previous(); ok {
		pds, err := e.drawsIn(ctx, key, prev)
		if err != nil {
			return reply.Reply{}, err
		}
		compare := "no draw"
		if len(pds) > 0 {
			compare = summarize(pds).line()
		}
		rep.Fields = append(rep.Fields, reply.Field{Name: upperFirst(prev.label), Value: compare})
	}
	if key == "" {
		rep.Lines = append(rep.Lines, "All round types together: PNP cutoffs include the 600 points of a nomination.")
	}
	if !ok {
		rep.Lines = append(rep.Lines, "No period asked for, so this covers the last 12 months; add one, e.g. stats cec 2025, stats french this year, stats healthcare ever.")
	}
	return rep, nil
}

// upperFirst capitalises the first letter of a label used as a title.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	if r[0] >= 'a' && r[0] <= 'z' {
		r[0] -= 'a' - 'A'
	}
	return string(r)
}
