package commands

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/reply"
)

// nextWindow is how far back next looks for the rhythm of draws.
const nextWindow = "last 12 months"

// next answers "when is the next draw" honestly: IRCC announces nothing in
// advance, so it gives the facts a person can judge by — how long since
// the last draw, how far apart draws came over the last year, and on which
// weekdays — and never a date or a score.
func (e *Engine) next(ctx context.Context, r Request) (reply.Reply, error) {
	p := r.p
	key, _ := r.Options.Category("category")
	asOf, err := e.asOf(ctx)
	if err != nil {
		return reply.Reply{}, err
	}
	ds, err := e.store.Draws(ctx, domain.DrawFilter{Category: key, Limit: 1})
	if err != nil {
		return reply.Reply{}, err
	}
	cat := catIn(p, key)
	rep := reply.Reply{
		Category: string(key),
		URL:      roundsPage,
		Summary:  p.T("next.unknowable", "Cat", cat),
		Note:     p.T("not_advice"),
		Source:   feedSource,
		AsOf:     asOf,
		Footer:   footer(p, "footer.feed", asOf),
	}
	if len(ds) == 0 {
		rep.Title = p.T("no_draw_yet", "Cat", cat)
		return rep, nil
	}
	last := ds[0]
	rep.Title = p.T("next.title", "Cat", catTitle(p, key), "Ago", ago(p, daysSince(last.Date, e.now())), "CRS", p.Num(last.CRS), "Date", p.Date(last.Date))
	w, _ := parsePeriod(nextWindow, e.now())
	recent, err := e.store.DrawDates(ctx, domain.DrawFilter{Category: key, From: w.from, To: w.to})
	if err != nil {
		return reply.Reply{}, err
	}
	if gaps := gapsBetween(recent); len(gaps) > 0 {
		lo, med, hi := spread(gaps)
		rep.Lines = append(rep.Lines, p.T("next.gaps", "Draws", countDraws(p, len(recent)), "Med", med, "Lo", lo, "Hi", hi))
	} else {
		rep.Lines = append(rep.Lines, p.T("next.too_few", "Draws", countDraws(p, len(recent))))
	}
	if len(recent) > 0 {
		rep.Lines = append(rep.Lines, p.T("next.weekdays", "Days", weekdays(p, recent)))
	}
	rep.Links = []reply.Link{{Label: p.T("link.round", "Number", last.Number), URL: last.URL}}
	return rep, nil
}

// gapsBetween is the number of days between consecutive draw dates
// (newest first; several draws on one day count once).
func gapsBetween(ds []string) []int {
	var dates []time.Time
	for _, d := range ds {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil || len(dates) > 0 && t.Equal(dates[len(dates)-1]) {
			continue
		}
		dates = append(dates, t)
	}
	var gaps []int
	for i := 1; i < len(dates); i++ {
		gaps = append(gaps, int(dates[i-1].Sub(dates[i])/(24*time.Hour)))
	}
	return gaps
}

// weekdays names the weekdays draws fell on, most frequent first:
// "Wednesday (3), Tuesday (1)".
func weekdays(p i18n.Printer, ds []string) string {
	count := map[time.Weekday]int{}
	for _, d := range ds {
		if t, err := time.Parse(time.DateOnly, d); err == nil {
			count[t.Weekday()]++
		}
	}
	days := make([]time.Weekday, 0, len(count))
	for d := range count {
		days = append(days, d)
	}
	slices.SortFunc(days, func(a, b time.Weekday) int {
		if count[a] != count[b] {
			return count[b] - count[a]
		}
		return int(a) - int(b)
	})
	parts := make([]string, len(days))
	for i, d := range days {
		parts[i] = p.Weekday(d) + " (" + p.Num(count[d]) + ")"
	}
	return strings.Join(parts, ", ")
}
