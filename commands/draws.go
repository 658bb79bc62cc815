package commands

import (
	"context"
	"fmt"
	"github.com/eebot/eebot/internal/reply"
	"strconv"
	"strings"

	"github.com/eebot/eebot/internal/domain"
)

const (
	defaultDraws = 10
	maxDraws     = 25
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

// splitCount takes a leading or trailing count off the args: "5 healthcare".
func splitCount(args string) (rest string, n int, ok bool) {
	f := strings.Fields(args)
	for i, w := range f {
		if v, err := strconv.Atoi(w); err == nil {
			return strings.Join(append(append([]string{}, f[:i]...), f[i+1:]...), " "), v, true
		}
	}
	return args, 0, false
}

func (e *Engine) draws(ctx context.Context, r Request) (reply.Reply, error) {
	rest, n, hasN := splitCount(r.Args)
	if !hasN {
		n = defaultDraws
	}
	if n < 1 || n > maxDraws {
		return invalid(r.Command, fmt.Sprintf("I can list 1 to %d draws at a time.", maxDraws)), nil
	}
	key, bad := resolveCategory(r.Command, rest)
	if bad != nil {
		return *bad, nil
	}
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
	rest, page, hasPage := splitCount(r.Args)
	if r.Page > 0 {
		page, hasPage = r.Page, true
	}
	if !hasPage {
		page = 1
	}
	if strings.TrimSpace(rest) == "" {
		return invalid(r.Command, "Which category? For example: history healthcare, history cec, history all."), nil
	}
	key, bad := resolveCategory(r.Command, rest)
	if bad != nil {
		return *bad, nil
	}
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
		return invalid(r.Command, fmt.Sprintf("There are %s of %s draws; pick a page from 1 to %d.", plural(pages, "page", "pages"), label(key), pages)), nil
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
