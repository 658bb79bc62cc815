package commands

import (
	"context"
	"fmt"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/reply"
)

func bandName(b domain.Band) string { return fmt.Sprintf("%d-%d", b.Lo, b.Hi) }

func (e *Engine) pool(ctx context.Context, r Request) (reply.Reply, error) {
	asOf, err := e.asOf(ctx)
	if err != nil {
		return reply.Reply{}, err
	}
	snaps, err := e.store.Distributions(ctx, 2)
	if err != nil {
		return reply.Reply{}, err
	}
	if len(snaps) == 0 {
		return reply.Reply{Status: reply.StatusNotFound, Title: "No pool distribution", Source: feedSource, AsOf: asOf,
			Summary: "IRCC has not published a score distribution in the data I have."}, nil
	}
	cur := snaps[0]
	var prev map[int]int
	var prevTotal int
	if len(snaps) > 1 {
		prev = map[int]int{}
		for _, b := range snaps[1].Dist.Bands {
			prev[b.Lo] = b.Candidates
		}
		prevTotal = snaps[1].Dist.Total
	}
	t := &reply.Table{Header: []string{"CRS", "Candidates", "Change"}}
	for _, b := range cur.Dist.Bands {
		row := []string{bandName(b), commas(b.Candidates), ""}
		if p, ok := prev[b.Lo]; ok {
			row[2] = signed(b.Candidates - p)
		}
		t.Rows = append(t.Rows, row)
	}
	totalRow := []string{"Total", commas(cur.Dist.Total), ""}
	if prev != nil {
		totalRow[2] = signed(cur.Dist.Total - prevTotal)
	}
	t.Rows = append(t.Rows, totalRow)
	summary := fmt.Sprintf("%s candidates in the pool as of %s (published with draw #%s).", commas(cur.Dist.Total), cur.Dist.AsOf, cur.Number)
	if prev != nil {
		summary += fmt.Sprintf(" Change since the snapshot of %s: %s.", snaps[1].Dist.AsOf, signed(cur.Dist.Total-prevTotal))
	}
	above := 0
	for _, b := range cur.Dist.Bands {
		if b.Lo >= 501 {
			above += b.Candidates
		}
	}
	rep := reply.Reply{
		Title:   "Express Entry pool: CRS score distribution",
		URL:     cur.URL,
		Summary: summary,
		Fields: []reply.Field{
			{Name: "Snapshot", Value: cur.Dist.AsOf, Inline: true},
			{Name: "Total", Value: commas(cur.Dist.Total), Inline: true},
			{Name: "Above 500", Value: commas(above), Inline: true},
		},
		Table:  t,
		Links:  []reply.Link{{Label: fmt.Sprintf("Official round #%s", cur.Number), URL: cur.URL}},
		Source: feedSource,
		AsOf:   asOf,
	}
	if score, ok := r.Options.Int("score"); ok {
		lo, hi := score+1, maxCRS
		if to, ok := r.Options.Int("to"); ok {
			lo, hi = min(score, to), max(score, to)
		}
		poolRange(&rep, cur.Dist, lo, hi, score)
	}
	return rep, nil
}

// poolRange answers "how many candidates between lo and hi" from the
// bands, as an exact count where the bands' edges fall on lo and hi, else
// as the range the bands allow; and, for a single score, its band.
func poolRange(rep *reply.Reply, dist *domain.Distribution, lo, hi, score int) {
	least, most := 0, 0
	var own *domain.Band
	for i, b := range dist.Bands {
		if b.Lo <= score && score <= b.Hi {
			own = &dist.Bands[i]
		}
		switch {
		case b.Hi < lo || b.Lo > hi: // outside
		case b.Lo >= lo && b.Hi <= hi:
			least += b.Candidates
			most += b.Candidates
		default: // the band straddles an edge: some of its candidates may count
			most += b.Candidates
		}
	}
	what := fmt.Sprintf("between %d and %d", lo, hi)
	if hi == maxCRS {
		what = fmt.Sprintf("above %d", lo-1)
	}
	count := commas(least)
	if most != least {
		count = fmt.Sprintf("between %s and %s", commas(least), commas(most))
	}
	rep.Title = fmt.Sprintf("Candidates %s: %s", what, count)
	rep.Summary = fmt.Sprintf("%s of the %s candidates in the pool on %s had a CRS score %s.", upperFirst(count), commas(dist.Total), dist.AsOf, what)
	if most != least {
		rep.Summary += " IRCC publishes the pool in score bands, so where a band straddles the score the answer is a range."
	}
	if own != nil && hi == maxCRS {
		rep.Fields = append(rep.Fields, reply.Field{Name: fmt.Sprintf("%d's band", score), Value: fmt.Sprintf("%s: %s candidates", bandName(*own), commas(own.Candidates)), Inline: true})
	}
}
