package commands

import (
	"context"
	"fmt"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/reply"
)

func bandName(b domain.Band) string { return fmt.Sprintf("%d-%d", b.Lo, b.Hi) }

// pool answers with the latest distribution of the pool: the total and
// its change first, then the bands; or how many are above a score or
// between two.
func (e *Engine) pool(ctx context.Context, r Request) (reply.Reply, error) {
	p := r.p
	asOf, err := e.asOf(ctx)
	if err != nil {
		return reply.Reply{}, err
	}
	snaps, err := e.store.Distributions(ctx, 2)
	if err != nil {
		return reply.Reply{}, err
	}
	foot := footer(p, "footer.feed", asOf)
	if len(snaps) == 0 {
		return reply.Reply{Status: reply.StatusNotFound, Title: p.T("pool.none"), Source: feedSource, AsOf: asOf, Footer: foot}, nil
	}
	cur := snaps[0]
	var prev map[int]int
	change := ""
	if len(snaps) > 1 {
		prev = map[int]int{}
		for _, b := range snaps[1].Dist.Bands {
			prev[b.Lo] = b.Candidates
		}
		change = " (" + p.T("pool.change", "Change", p.Change(cur.Dist.Total-snaps[1].Dist.Total), "Date", p.Date(snaps[1].Dist.AsOf)) + ")"
	}
	t := &reply.Table{Header: []string{p.T("table.crs"), p.T("pool.candidates"), "±"}}
	for _, b := range cur.Dist.Bands {
		row := []string{bandName(b), p.Num(b.Candidates), ""}
		if n, ok := prev[b.Lo]; ok {
			row[2] = signed(p, b.Candidates-n)
		}
		t.Rows = append(t.Rows, row)
	}
	above := 0
	for _, b := range cur.Dist.Bands {
		if b.Lo >= 501 {
			above += b.Candidates
		}
	}
	rep := reply.Reply{
		Title:   p.T("pool.title", "Total", p.Num(cur.Dist.Total), "Date", p.Date(cur.Dist.AsOf)) + change,
		URL:     cur.URL,
		Summary: p.T("pool.above500", "N", p.Num(above)),
		Table:   t,
		Links:   []reply.Link{{Label: p.T("link.round", "Number", cur.Number), URL: cur.URL}},
		Source:  feedSource,
		AsOf:    asOf,
		Footer:  foot,
	}
	if score, ok := r.Options.Int("score"); ok {
		lo, hi := score+1, maxCRS
		if to, ok := r.Options.Int("to"); ok {
			lo, hi = min(score, to), max(score, to)
		}
		poolRange(p, &rep, cur.Dist, lo, hi, score)
	}
	return rep, nil
}

// signed writes a change as +258 or -1,048 for a table column.
func signed(p i18n.Printer, n int) string {
	if n > 0 {
		return "+" + p.Num(n)
	}
	return p.Num(n)
}

// poolRange answers "how many candidates between lo and hi" from the
// bands, as an exact count where the bands' edges fall on lo and hi, else
// as the range the bands allow; and, for a single score, its band.
func poolRange(p i18n.Printer, rep *reply.Reply, dist *domain.Distribution, lo, hi, score int) {
	least, most := 0, 0
	var own *domain.Band
	var rows [][]string // the table keeps the bands that count, at least in part
	for i, b := range dist.Bands {
		if b.Lo <= score && score <= b.Hi {
			own = &dist.Bands[i]
		}
		switch {
		case b.Hi < lo || b.Lo > hi: // outside
			continue
		case b.Lo >= lo && b.Hi <= hi:
			least += b.Candidates
			most += b.Candidates
		default: // the band straddles an edge: some of its candidates may count
			most += b.Candidates
		}
		if rep.Table != nil && i < len(rep.Table.Rows) {
			rows = append(rows, rep.Table.Rows[i])
		}
	}
	if rep.Table != nil {
		rep.Table.Rows = rows
	}
	what := p.T("pool.between", "Lo", lo, "Hi", hi)
	if hi == maxCRS {
		what = p.T("pool.above", "Score", lo-1)
	}
	count := p.Num(least)
	if most != least {
		count = p.T("pool.range", "Least", p.Num(least), "Most", p.Num(most))
	}
	rep.Title = p.T("pool.range.title", "What", what, "N", count)
	rep.Summary = p.T("pool.range.body", "Total", p.Num(dist.Total), "Date", p.Date(dist.AsOf))
	if most != least {
		rep.Summary += " " + p.T("pool.range.bands")
	}
	if own != nil && hi == maxCRS {
		rep.Summary += "\n" + p.T("pool.band", "Score", score, "Band", bandName(*own), "N", p.Num(own.Candidates))
	}
}
