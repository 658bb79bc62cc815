package commands

import (
	"context"
	"fmt"
	"slices"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/reply"
)

const (
	defaultDraws = 10
	historyPage  = 10
)

// drawTable lays draws out for a phone: a draw's type only when the draws
// are of several types (its version when they are of one category), and
// dates without their year when they all share one.
func drawTable(p i18n.Printer, ds []domain.Draw, oneType bool) *reply.Table {
	sameYear := true
	for _, d := range ds {
		sameYear = sameYear && len(d.Date) >= 4 && d.Date[:4] == ds[0].Date[:4]
	}
	date := p.MediumDate
	if sameYear {
		date = p.ShortDate
	}
	versions := false
	for _, d := range ds {
		versions = versions || oneType && d.Type == domain.TypeCategory && d.Version > 0
	}
	t := &reply.Table{Header: []string{"#", p.T("table.date")}}
	switch {
	case !oneType:
		t.Header = append(t.Header, p.T("table.type"))
	case versions:
		t.Header = append(t.Header, "v")
	}
	t.Header = append(t.Header, p.T("table.crs"), p.T("table.itas"))
	for _, d := range ds {
		row := []string{d.Number, date(d.Date)}
		switch {
		case !oneType:
			row = append(row, p.T("short."+cmpKey(d.Category)))
		case versions:
			row = append(row, fmt.Sprint(d.Version))
		}
		t.Rows = append(t.Rows, append(row, fmt.Sprint(d.CRS), p.Num(d.Size)))
	}
	return t
}

func cmpKey(key domain.Key) string {
	if key == "" {
		return string(domain.Unmapped)
	}
	return string(key)
}

// draws lists the latest draws, of any type or one category, optionally
// of a period; the headline is the newest one.
func (e *Engine) draws(ctx context.Context, r Request) (reply.Reply, error) {
	p := r.p
	n, ok := r.Options.Int("count")
	if !ok {
		n = defaultDraws
	}
	key, _ := r.Options.Category("category")
	asOf, err := e.asOf(ctx)
	if err != nil {
		return reply.Reply{}, err
	}
	per, inPeriod := parsePeriod(r.Options.Text("period"), e.now())
	var ds []domain.Draw
	f := domain.DrawFilter{Category: key, Limit: n}
	if inPeriod {
		f.From, f.To = per.from, per.to
	}
	if n > 0 {
		ds, err = e.store.Draws(ctx, f)
	}
	if err != nil {
		return reply.Reply{}, err
	}
	foot := footer(p, "footer.feed", asOf)
	if len(ds) == 0 {
		rep := reply.Reply{Status: reply.StatusNotFound, Title: p.T("no_draw_yet", "Cat", catIn(p, key)), Category: string(key), Source: feedSource, AsOf: asOf, Footer: foot,
			Summary: p.T("no_draw_yet.body", "Cat", catIn(p, key), "Date", p.Date(asOf))}
		if inPeriod {
			rep.Title = p.T("draws.none_in", "Draws", drawsOf(p, key, 2), "Period", per.label(p))
			rep.Summary = ""
		}
		return rep, nil
	}
	what := p.T("draws.last", "N", len(ds), "Count", len(ds), "Draws", drawsOf(p, key, len(ds)))
	if inPeriod {
		what += " " + per.label(p)
	}
	return reply.Reply{
		Title:    p.T("draws.title", "What", what, "CRS", p.Num(ds[0].CRS), "Date", p.Date(ds[0].Date)),
		URL:      ds[0].URL,
		Category: string(key),
		Table:    drawTable(p, ds, key != ""),
		Links:    []reply.Link{{Label: p.T("link.round", "Number", ds[0].Number), URL: ds[0].URL}},
		Source:   feedSource,
		AsOf:     asOf,
		Footer:   foot,
		Time:     drawTime(ds[0]),
	}, nil
}

// history lists every draw of a category (or of a period), ten a page,
// with Previous and Next.
func (e *Engine) history(ctx context.Context, r Request) (reply.Reply, error) {
	p := r.p
	page, ok := r.Options.Int("page")
	if r.Page > 0 {
		page, ok = r.Page, true
	}
	if !ok {
		page = 1
	}
	key, _ := r.Options.Category("category")
	arg := string(key)
	if arg == "" {
		arg = string(all)
	}
	asOf, err := e.asOf(ctx)
	if err != nil {
		return reply.Reply{}, err
	}
	per, inPeriod := parsePeriod(r.Options.Text("period"), e.now())
	f := domain.DrawFilter{Category: key}
	when := ""
	if inPeriod {
		f.From, f.To = per.from, per.to
		arg += " " + per.text
		when = " " + per.label(p)
	}
	foot := footer(p, "footer.feed", asOf)
	n, err := e.store.CountDrawsIn(ctx, f)
	if err != nil {
		return reply.Reply{}, err
	}
	if n == 0 {
		return reply.Reply{Status: reply.StatusNotFound, Title: p.T("draws.none_in", "Draws", drawsOf(p, key, 2), "Period", cmpOr(when, p.T("draws.so_far"))),
			Category: string(key), Source: feedSource, AsOf: asOf, Footer: foot}, nil
	}
	pages := (n + historyPage - 1) / historyPage
	if page < 1 || page > pages {
		return reply.Reply{}, invalid(p.T("history.page_range", "Pages", pages, "Count", pages))
	}
	ds, newest, oldest, err := e.historyPage(ctx, f, n, page)
	if err != nil {
		return reply.Reply{}, err
	}
	if len(ds) == 0 {
		// The draws changed between the count and the page.
		return reply.Reply{}, invalid(p.T("history.page_range", "Pages", pages, "Count", pages))
	}
	return reply.Reply{
		Title: p.T("history.title", "Draws", countDrawsOf(p, key, n), "Period", cmpOr(when, " "+p.T("history.since", "Date", p.Date(oldest.Date))),
			"CRS", p.Num(newest.CRS), "Date", p.Date(newest.Date)),
		Category: string(key),
		Summary:  p.T("page", "Page", page, "Pages", pages),
		Table:    drawTable(p, ds, key != ""),
		Links:    []reply.Link{{Label: p.T("link.round", "Number", newest.Number), URL: newest.URL}},
		Source:   feedSource,
		AsOf:     asOf,
		Footer:   foot,
		Pager:    &reply.Pager{Command: "history", Args: arg, Page: page, Pages: pages},
	}, nil
}

// historyPage reads page (from 1) of the n draws f selects, newest first,
// with the newest and the oldest of all n. A page is read from whichever
// end of the index range it is nearer, so the first and the last pages
// read only their own rows at any size of history; a page in the middle
// steps over the rows before it.
func (e *Engine) historyPage(ctx context.Context, f domain.DrawFilter, n, page int) (ds []domain.Draw, newest, oldest domain.Draw, err error) {
	lo, hi := (page-1)*historyPage, min(page*historyPage, n)
	pf := f
	pf.Limit = hi - lo
	if lo <= n-hi {
		pf.Offset = lo
	} else {
		pf.Offset, pf.Oldest = n-hi, true
	}
	if ds, err = e.store.Draws(ctx, pf); err != nil || len(ds) == 0 {
		return nil, newest, oldest, err
	}
	if pf.Oldest {
		slices.Reverse(ds)
	}
	newest, oldest = ds[0], ds[len(ds)-1]
	if lo > 0 {
		f.Limit = 1
		if newest, err = e.first(ctx, f); err != nil {
			return nil, newest, oldest, err
		}
	}
	if hi < n {
		f.Limit, f.Oldest = 1, true
		if oldest, err = e.first(ctx, f); err != nil {
			return nil, newest, oldest, err
		}
	}
	return ds, newest, oldest, nil
}

// first returns the first draw f selects; ErrNotFound when none.
func (e *Engine) first(ctx context.Context, f domain.DrawFilter) (domain.Draw, error) {
	ds, err := e.store.Draws(ctx, f)
	if err == nil && len(ds) == 0 {
		err = domain.ErrNotFound
	}
	if err != nil {
		return domain.Draw{}, err
	}
	return ds[0], nil
}

// countDrawsOf is "15 healthcare draws", "15 tirages santé".
func countDrawsOf(p i18n.Printer, key domain.Key, n int) string {
	return p.Num(n) + " " + drawsOf(p, key, n)
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
