package commands

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

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

func (e *Engine) match(ctx context.Context, r Request) (reply.Reply, error) {
	score, _ := r.Options.Int("score")
	key, _ := r.Options.Category("category")
	asOf, err := e.asOf(ctx)
	if err != nil {
		return reply.Reply{}, err
	}
	// Without a category, PNP rounds are left out: their cutoffs include the
	// 600 points of a nomination, so they say nothing about other scores.
	var ds []domain.Draw
	if key == "" {
		recent, err := e.store.Draws(ctx, domain.DrawFilter{Limit: matchDraws * 4})
		if err != nil {
			return reply.Reply{}, err
		}
		for _, d := range recent {
			if d.Category != domain.PNP && len(ds) < matchDraws {
				ds = append(ds, d)
			}
		}
	} else if ds, err = e.store.Draws(ctx, domain.DrawFilter{Category: key, Limit: matchDraws}); err != nil {
		return reply.Reply{}, err
	}
	what := "draws other than PNP"
	if key != "" {
		what = label(key) + " draws"
	}
	if len(ds) == 0 {
		return reply.Reply{Status: reply.StatusNotFound, Private: true, Title: "Nothing to compare with", Category: key, Source: feedSource, AsOf: asOf,
			Summary: fmt.Sprintf("There are no %s to compare a score with yet.", what)}, nil
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
	latest := ds[0]
	gap := score - latest.CRS
	var gapText string
	switch {
	case gap > 0:
		gapText = fmt.Sprintf("%d above the latest cutoff (#%s, %d)", gap, latest.Number, latest.CRS)
	case gap < 0:
		gapText = fmt.Sprintf("%d below the latest cutoff (#%s, %d)", -gap, latest.Number, latest.CRS)
	default:
		gapText = fmt.Sprintf("equal to the latest cutoff (#%s, %d)", latest.Number, latest.CRS)
	}
	return reply.Reply{
		Title:    fmt.Sprintf("CRS %d against the last %s", score, plural(len(ds), strings.TrimSuffix(what, "s"), what)),
		URL:      latest.URL,
		Category: key,
		Private:  true,
		Summary: fmt.Sprintf("A score of %d would have met the cutoff in %d of the last %s (%s to %s).",
			score, cleared, plural(len(ds), strings.TrimSuffix(what, "s"), what), ds[len(ds)-1].Date, latest.Date),
		Fields: []reply.Field{
			{Name: "Cleared", Value: fmt.Sprintf("%d of %d", cleared, len(ds)), Inline: true},
			{Name: "Lowest cutoff", Value: strconv.Itoa(lo), Inline: true},
			{Name: "Median cutoff", Value: strconv.Itoa(med), Inline: true},
			{Name: "Highest cutoff", Value: strconv.Itoa(hi), Inline: true},
			{Name: "Latest", Value: gapText, Inline: true},
		},
		Table:  drawTable(ds),
		Note:   "Statistics on past draws, not a prediction: IRCC sets each round's size and type, and a cutoff can move either way.",
		Source: feedSource,
		AsOf:   asOf,
		Links:  []reply.Link{{Label: fmt.Sprintf("Official round #%s", latest.Number), URL: latest.URL}},
	}, nil
}
