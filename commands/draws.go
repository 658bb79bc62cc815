package commands

import (
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
	ds, err := e.store.Draws(ctx, domain.DrawFilter{Category: key, Limit: n})
	if err != nil {
		return reply.Reply{}, err
	}
	what := "draws"
	if key != "" {
		what = label(key) + " draws"
	}
	if len(ds) == 0 {
		return reply.Reply{Status: reply.StatusNotFound, Title: "No " + what + " yet", Category: key, Source: feedSource, AsOf: asOf,
			Summary: fmt.Sprintf("IRCC has held no %s so far (data as of %s).", what, asOf)}, nil
	}
	return reply.Reply{
		Title:    fmt.Sprintf("Latest %s", plural(len(ds), strings.TrimSuffix(what, "s"), what)),
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
	total, err := e.store.CountDraws(ctx, key)
	if err != nil {
		return reply.Reply{}, err
	}
	if total == 0 {
		return reply.Reply{Status: reply.StatusNotFound, Title: "No " + label(key) + " draws yet", Category: key, Source: feedSource, AsOf: asOf,
			Summary: fmt.Sprintf("IRCC has held no %s draw so far (data as of %s).", label(key), asOf)}, nil
	}
	pages := (total + historyPage - 1) / historyPage
	if page < 1 || page > pages {
		return reply.Reply{}, invalidf("There are %s of %s draws; pick a page from 1 to %d.", plural(pages, "page", "pages"), label(key), pages)
	}
	ds, err := e.store.Draws(ctx, domain.DrawFilter{Category: key, Limit: historyPage, Offset: (page - 1) * historyPage})
	if err != nil {
		return reply.Reply{}, err
	}
	crs := make([]int, len(ds))
	for i, d := range ds {
		crs[i] = d.CRS
	}
	lo, _, hi := stats(crs)
	return reply.Reply{
		Title:    fmt.Sprintf("%s draws: page %d of %d", domain.Label(keyOrAll(key)), page, pages),
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
