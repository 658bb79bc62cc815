package commands

import (
	"cmp"
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/reply"
)

const (
	defaultDraws = 10
	historyPage  = 10
)

// drawTable renders draws as a narrow table for phones.
func drawTable(ds []domain.Draw) *reply.Table {
	t := &reply.Table{Header: []string{"#", "Date", "Type", "CRS", "ITAs"}}
	for _, d := range ds {
		t.Rows = append(t.Rows, []string{d.Number, d.Date, shortType(d), strconv.Itoa(d.CRS), commas(d.Size)})
	}
	return t
}

func (e *Engine) draws(ctx context.Context, r Request) (reply.Reply, error) {
	n, ok := r.Options.Int("count")
	if !ok {
		n = defaultDraws
	}
	key, _ := r.Options.Category("category")
	asOf, err := e.asOf(ctx)
	if err != nil {
		return reply.Reply{}, err
	}
	p, inPeriod := parsePeriod(r.Options.Text("period"), e.now())
	var ds []domain.Draw
	if inPeriod {
		ds, err = e.drawsIn(ctx, key, p)
		ds = ds[:min(n, len(ds))]
	} else {
		ds, err = e.store.Draws(ctx, domain.DrawFilter{Category: key, Limit: n})
	}
	if err != nil {
		return reply.Reply{}, err
	}
	what := "draws"
	if key != "" {
		what = label(key) + " draws"
	}
	when := ""
	if inPeriod {
		when = " " + p.label
	}
	if len(ds) == 0 {
		return reply.Reply{Status: reply.StatusNotFound, Title: "No " + what + cmp.Or(when, " yet"), Category: key, Source: feedSource, AsOf: asOf,
			Summary: fmt.Sprintf("IRCC has held no %s%s (data as of %s).", what, cmp.Or(when, " so far"), asOf)}, nil
	}
	return reply.Reply{
		Title:    fmt.Sprintf("Latest %s%s", plural(len(ds), strings.TrimSuffix(what, "s"), what), when),
		URL:      ds[0].URL,
		Category: key,
		Summary:  fmt.Sprintf("Newest first. The latest is #%s on %s (CRS %d).", ds[0].Number, ds[0].Date, ds[0].CRS),
		Table:    drawTable(ds),
		Links:    []reply.Link{{Label: fmt.Sprintf("Official round #%s", ds[0].Number), URL: ds[0].URL}},
		Source:   feedSource,
		AsOf:     asOf,
		Time:     drawTime(ds[0]),
	}, nil
}

func (e *Engine) history(ctx context.Context, r Request) (reply.Reply, error) {
	page, ok := r.Options.Int("page")
	if r.Page > 0 {
		page, ok = r.Page, true
	}
	if !ok {
		page = 1
	}
	key, _ := r.Options.Category("category")
	arg := key
	if arg == "" {
		arg = all
	}
	asOf, err := e.asOf(ctx)
	if err != nil {
		return reply.Reply{}, err
	}
	p, inPeriod := parsePeriod(r.Options.Text("period"), e.now())
	var inP []domain.Draw
	total := 0
	if inPeriod {
		inP, err = e.drawsIn(ctx, key, p)
		total = len(inP)
		arg += " " + p.text
	} else {
		total, err = e.store.CountDraws(ctx, key)
	}
	if err != nil {
		return reply.Reply{}, err
	}
	when := ""
	if inPeriod {
		when = " " + p.label
	}
	if total == 0 {
		return reply.Reply{Status: reply.StatusNotFound, Title: "No " + label(key) + " draws" + cmp.Or(when, " yet"), Category: key, Source: feedSource, AsOf: asOf,
			Summary: fmt.Sprintf("IRCC has held no %s draw%s (data as of %s).", label(key), cmp.Or(when, " so far"), asOf)}, nil
	}
	pages := (total + historyPage - 1) / historyPage
	if page < 1 || page > pages {
		return reply.Reply{}, invalidf("There are %s of %s draws%s; pick a page from 1 to %d.", plural(pages, "page", "pages"), label(key), when, pages)
	}
	var ds []domain.Draw
	if inPeriod {
		ds = inP[(page-1)*historyPage : min(page*historyPage, total)]
	} else if ds, err = e.store.Draws(ctx, domain.DrawFilter{Category: key, Limit: historyPage, Offset: (page - 1) * historyPage}); err != nil {
		return reply.Reply{}, err
	}
	crs := make([]int, len(ds))
	for i, d := range ds {
		crs[i] = d.CRS
	}
	lo, _, hi := spread(crs)
	return reply.Reply{
		Title:    fmt.Sprintf("%s draws%s: page %d of %d", domain.Label(keyOrAll(key)), when, page, pages),
		Category: key,
		Summary: fmt.Sprintf("%s in all, newest first. On this page: #%s (%s) to #%s (%s), CRS %d to %d.",
			plural(total, "draw", "draws"), ds[0].Number, ds[0].Date, ds[len(ds)-1].Number, ds[len(ds)-1].Date, lo, hi),
		Table:  drawTable(ds),
		Links:  []reply.Link{{Label: fmt.Sprintf("Official round #%s", ds[0].Number), URL: ds[0].URL}},
		Source: feedSource,
		AsOf:   asOf,
		Pager:  &reply.Pager{Command: "history", Args: arg, Page: page, Pages: pages},
	}, nil
}

func keyOrAll(key string) string {
	if key == "" {
		return "All"
	}
	return key
}

// drawsIn returns the draws of a category (all for "") dated in p, newest
// first.
func (e *Engine) drawsIn(ctx context.Context, key string, p period) ([]domain.Draw, error) {
	ds, err := e.store.Draws(ctx, domain.DrawFilter{Category: key})
	if err != nil {
		return nil, err
	}
	out := ds[:0]
	for _, d := range ds {
		if p.holds(d.Date) {
			out = append(out, d)
		}
	}
	return out, nil
}
