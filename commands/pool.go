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
	return reply.Reply{
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
	}, nil
}
