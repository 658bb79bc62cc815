package commands

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/reply"
)

// nextWindow is how far back next looks for the rhythm of draws.
const nextWindow = "last 12 months"

// next answers "when is the next draw" honestly: IRCC announces nothing in
// advance, so it gives the facts a person can judge by — how long since
// the last draw, how far apart draws came over the last year, and on which
// weekdays — and never a date or a score.
func (e *Engine) next(ctx context.Context, r Request) (reply.Reply, error) {
	key, _ := r.Options.Category("category")
	asOf, err := e.asOf(ctx)
	if err != nil {
		return reply.Reply{}, err
	}
	ds, err := e.store.Draws(ctx, domain.DrawFilter{Category: key})
	if err != nil {
		return reply.Reply{}, err
	}
	what := "draw"
	if key != "" {
		what = label(key) + " draw"
	}
	honest := fmt.Sprintf("IRCC does not announce draws or their cutoffs in advance, so nobody can know when the next %s will be or what its cutoff will be.", what)
	rep := reply.Reply{
		Title:    fmt.Sprintf("Next %s: not announced", what),
		Category: key,
		URL:      "https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/rounds-invitations.html",
		Summary:  honest,
		Note:     "Statistics on past draws, not a prediction.",
		Source:   feedSource,
		AsOf:     asOf,
	}
	if len(ds) == 0 {
		rep.Lines = append(rep.Lines, fmt.Sprintf("There has been no %s so far.", what))
		return rep, nil
	}
	last := ds[0]
	rep.Summary += " What past draws show:"
	rep.Fields = append(rep.Fields, reply.Field{Name: "Last " + what, Inline: true,
		Value: fmt.Sprintf("#%s on %s, %s ago (CRS %d)", last.Number, last.Date, plural(daysSince(last.Date, e.now()), "day", "days"), last.CRS)})
	w, _ := parsePeriod(nextWindow, e.now())
	var recent []domain.Draw
	for _, d := range ds {
		if w.holds(d.Date) {
			recent = append(recent, d)
		}
	}
	rep.Fields = append(rep.Fields, reply.Field{Name: "Draws in the last 12 months", Value: commas(len(recent)), Inline: true})
	if gaps := gapsBetween(recent); len(gaps) > 0 {
		lo, med, hi := spread(gaps)
		rep.Fields = append(rep.Fields, reply.Field{Name: "Days between them", Inline: true,
			Value: fmt.Sprintf("median %d, from %d to %d", med, lo, hi)})
	} else {
		rep.Lines = append(rep.Lines, fmt.Sprintf("Too few %ss in the last 12 months to say how far apart they come.", what))
	}
	if len(recent) > 0 {
		rep.Fields = append(rep.Fields, reply.Field{Name: "Usual weekdays", Value: weekdays(recent), Inline: true})
	}
	rep.Links = []reply.Link{{Label: fmt.Sprintf("Official round #%s", last.Number), URL: last.URL}}
	return rep, nil
}

// gapsBetween is the number of days between consecutive draw dates
// (draws newest first; several draws on one day count once).
func gapsBetween(ds []domain.Draw) []int {
	var dates []time.Time
	for _, d := range ds {
		t, err := time.Parse(time.DateOnly, d.Date)
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
func weekdays(ds []domain.Draw) string {
	count := map[time.Weekday]int{}
	for _, d := range ds {
		if t, err := time.Parse(time.DateOnly, d.Date); err == nil {
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
		parts[i] = fmt.Sprintf("%s (%d)", d, count[d])
	}
	return strings.Join(parts, ", ")
}
