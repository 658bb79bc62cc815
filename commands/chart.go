package commands

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/eebot/eebot/internal/chart"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/reply"
)

// chartCacheSize is how many charts the engine keeps rendered: a chart is
// about 50 KB, so at most a few MB.
const chartCacheSize = 64

// What a chart shows.
const (
	chartCutoffs = "cutoffs"
	chartPool    = "pool"
)

// chart answers with a picture: the CRS cutoff of each draw of one or more
// categories over a period, or the pool's latest distribution. The text
// states the key numbers, so the answer holds for people who cannot see
// the image.
func (e *Engine) chart(ctx context.Context, r Request) (reply.Reply, error) {
	p := r.p
	what := r.Options.Text("what")
	keys := r.Options.Categories("categories")
	if what == chartPool {
		keys = nil
	}
	if len(keys) > chart.MaxSeries {
		return reply.Reply{}, invalid(p.T("chart.too_many", "N", chart.MaxSeries), p.T("chart.too_many.hint"))
	}
	asOf, err := e.asOf(ctx)
	if err != nil {
		return reply.Reply{}, err
	}
	key := e.chartKey(ctx, string(p.Lang()), what, keys, r.Options.Text("period"), asOf)
	if rep, ok := e.cachedChart(key); ok {
		return rep, nil
	}
	var rep reply.Reply
	if what == chartPool {
		rep, err = e.poolChart(ctx, p, asOf)
	} else {
		rep, err = e.cutoffChart(ctx, p, keys, r.Options.Text("period"), asOf)
	}
	if err == nil {
		e.keepChart(key, rep)
	}
	return rep, err
}

// cutoffChart draws the cutoffs of keys (every category drawn in the
// period for none) over a period ("" for the default).
func (e *Engine) cutoffChart(ctx context.Context, p i18n.Printer, keys []domain.Key, periodText, asOf string) (reply.Reply, error) {
	foot := footer(p, "footer.feed", asOf)
	per, given := parsePeriod(periodText, e.now())
	var notes []string
	everyKey := len(keys) == 0
	if everyKey {
		if !given {
			per, _ = parsePeriod(defaultPeriod, e.now())
		}
		keys = append(domain.CategoryKeys(), domain.ProgramKeys()...)
	}
	if !given && len(keys) == 1 {
		per, _ = parsePeriod("ever", e.now())
	}
	// Each category's draws, all of its versions together.
	var series []chart.Series
	var firsts, lasts []string
	for _, k := range keys {
		ds, err := e.store.Draws(ctx, domain.DrawFilter{Category: k})
		if err != nil {
			return reply.Reply{}, err
		}
		if len(ds) > 0 {
			firsts, lasts = append(firsts, ds[len(ds)-1].Date), append(lasts, ds[0].Date)
		}
		series = append(series, chart.Series{Key: k, Name: catTitle(p, k), Draws: ds})
	}
	var label string
	switch {
	case given || everyKey || len(keys) == 1:
		label = per.label(p)
	case len(firsts) > 0:
		// Several categories: from the first draw of the newest one, so
		// every line runs the whole chart; from the first of the oldest
		// when one of them had its last draw before that.
		from := slices.Max(firsts)
		if slices.Min(lasts) < from {
			from = slices.Min(firsts)
		}
		per = period{text: "since " + from, from: from}
		label = p.T("history.since", "Date", p.Date(per.from))
	default:
		per, _ = parsePeriod("ever", e.now())
		label = per.label(p)
	}
	kept := series[:0]
	for _, s := range series {
		s.Draws = slices.DeleteFunc(slices.Clone(s.Draws), func(d domain.Draw) bool { return !per.holds(d.Date) })
		switch {
		case everyKey && len(s.Draws) == 0:
		case everyKey && s.Key == domain.PNP:
			notes = append(notes, p.T("chart.pnp_left_out"))
		default:
			kept = append(kept, s)
		}
	}
	series = kept
	if everyKey && len(series) > chart.MaxSeries {
		// The categories drawn most often, in menu order.
		byCount := slices.Clone(series)
		slices.SortStableFunc(byCount, func(a, b chart.Series) int { return len(b.Draws) - len(a.Draws) })
		keep := map[domain.Key]bool{}
		for _, s := range byCount[:chart.MaxSeries] {
			keep[s.Key] = true
		}
		left := len(series) - chart.MaxSeries
		series = slices.DeleteFunc(series, func(s chart.Series) bool { return !keep[s.Key] })
		notes = append(notes, p.T("chart.more_left_out", "N", left, "Count", left, "Max", chart.MaxSeries))
	}
	total := 0
	for _, s := range series {
		total += len(s.Draws)
	}
	if total == 0 {
		key := domain.Key("")
		if len(keys) == 1 {
			key = keys[0]
		}
		return reply.Reply{Status: reply.StatusNotFound, Title: p.T("draws.none_in", "Draws", drawsOf(p, key, 2), "Period", label),
			Category: string(key), Source: feedSource, AsOf: asOf, Footer: foot}, nil
	}
	rep := reply.Reply{Source: feedSource, AsOf: asOf, Footer: foot}
	c := chart.Cutoffs{Series: series}
	var latest []string
	gaps := false
	for _, s := range series {
		if len(s.Draws) == 0 {
			rep.Lines = append(rep.Lines, p.T("chart.line.none", "Cat", s.Name, "Period", label))
			continue
		}
		sum := summarize(s.Draws)
		line := p.T("chart.line", "Cat", s.Name, "Draws", countDraws(p, sum.draws), "Lo", p.Num(sum.lo), "Hi", p.Num(sum.hi),
			"Med", p.Num(sum.med), "CRS", p.Num(sum.last.CRS), "Date", p.Date(sum.last.Date), "Invitations", countInvitations(p, sum.invitations))
		if sum.draws == 1 {
			line = p.T("chart.line.one", "Cat", s.Name, "CRS", p.Num(sum.last.CRS), "Date", p.Date(sum.last.Date), "Invitations", countInvitations(p, sum.invitations))
		}
		rep.Lines = append(rep.Lines, line)
		latest = append(latest, s.Name+" "+p.Num(sum.last.CRS))
		if v := versionStarts(p, s.Draws); v != "" {
			rep.Lines = append(rep.Lines, p.T("chart.versions", "Cat", s.Name, "List", v))
		}
		gaps = gaps || hasGap(s.Draws)
	}
	if gaps {
		notes = append(notes, p.T("chart.gaps"))
	}
	rep.Note = strings.Join(notes, " ")
	if len(series) == 1 {
		s := series[0]
		sum := summarize(s.Draws)
		rep.Category = string(s.Key)
		rep.Title = p.T("chart.headline.one", "Cat", s.Name, "Period", label, "Lo", p.Num(sum.lo), "Hi", p.Num(sum.hi),
			"CRS", p.Num(sum.last.CRS), "Date", p.Date(sum.last.Date))
		rep.Summary = rep.Lines[0]
		rep.Lines = rep.Lines[1:]
		rep.URL = sum.last.URL
		c.Title = p.T("chart.title.one", "Cat", s.Name, "Period", label)
		c.Subtitle = p.T("chart.subtitle", "Draws", countDraws(p, sum.draws), "Invitations", countInvitations(p, sum.invitations), "Date", p.Date(asOf))
	} else {
		rep.Title = p.T("chart.headline.many", "Period", label, "List", strings.Join(latest, " · "))
		c.Title = p.T("chart.title.many", "Period", label)
	}
	name := "cutoffs-" + strings.Join(slugs(series), "-") + "-" + slug(per.text) + "-" + string(p.Lang())
	e.attach(&rep, p, name, c.Version(p), chart.Height, c.Render)
	return rep, nil
}

// poolChart draws the latest distribution of the pool by band, with each
// band's change since the snapshot before.
func (e *Engine) poolChart(ctx context.Context, p i18n.Printer, asOf string) (reply.Reply, error) {
	foot := footer(p, "footer.feed", asOf)
	snaps, err := e.store.Distributions(ctx, 2)
	if err != nil {
		return reply.Reply{}, err
	}
	if len(snaps) == 0 || snaps[0].Dist == nil || len(snaps[0].Dist.Bands) == 0 {
		return reply.Reply{Status: reply.StatusNotFound, Title: p.T("pool.none"), Source: feedSource, AsOf: asOf, Footer: foot}, nil
	}
	cur := snaps[0].Dist
	c := chart.Pool{Title: p.T("chart.pool.title", "Total", p.Num(cur.Total), "Date", p.Date(cur.AsOf)), Current: *cur,
		Subtitle: p.T("chart.pool.subtitle.alone")}
	rep := reply.Reply{
		Title:  p.T("pool.title", "Total", p.Num(cur.Total), "Date", p.Date(cur.AsOf)),
		URL:    snaps[0].URL,
		Source: feedSource, AsOf: asOf, Footer: foot,
	}
	prev := map[[2]int]int{}
	if len(snaps) > 1 && snaps[1].Dist != nil {
		c.Previous = snaps[1].Dist
		c.Subtitle = p.T("chart.pool.subtitle", "Date", p.Date(c.Previous.AsOf))
		rep.Title += " (" + p.T("pool.change", "Change", p.Change(cur.Total-c.Previous.Total), "Date", p.Date(c.Previous.AsOf)) + ")"
		for _, b := range c.Previous.Bands {
			prev[[2]int{b.Lo, b.Hi}] = b.Candidates
		}
	}
	largest, above := cur.Bands[0], 0
	var moved *domain.Band
	moveBy := 0
	for i, b := range cur.Bands {
		if b.Candidates > largest.Candidates {
			largest = b
		}
		if b.Lo >= 501 {
			above += b.Candidates
		}
		if n, ok := prev[[2]int{b.Lo, b.Hi}]; ok && abs(b.Candidates-n) > abs(moveBy) {
			moved, moveBy = &cur.Bands[i], b.Candidates-n
		}
	}
	rep.Summary = p.T("chart.pool.largest", "Band", bandName(largest), "N", p.Num(largest.Candidates)) + " " + p.T("chart.pool.above500", "N", p.Num(above))
	if moved != nil {
		rep.Summary += " " + p.T("chart.pool.moved", "Band", bandName(*moved), "Change", p.Change(moveBy))
	}
	e.attach(&rep, p, "pool-"+string(p.Lang()), c.Version(p), chart.PoolHeight, c.Render)
	return rep, nil
}

// attach renders a chart through the engine's cache and puts it on rep.
// A chart that fails to render is logged and left out: the text still
// answers.
func (e *Engine) attach(rep *reply.Reply, p i18n.Printer, name, version string, height int, render func(i18n.Printer) ([]byte, error)) {
	png, _, err := e.charts.images.Get(name, version, func() ([]byte, error) { return render(p) })
	if err != nil {
		if !errors.Is(err, chart.ErrNoData) {
			e.log.Error("chart failed", "chart", name, "err", err)
		}
		return
	}
	alt := []string{rep.Title}
	if rep.Summary != "" {
		alt = append(alt, rep.Summary)
	}
	alt = append(alt, rep.Lines...)
	if rep.Note != "" {
		alt = append(alt, rep.Note)
	}
	rep.Image = &reply.Image{
		Name: name + "-" + version[:8] + ".png", Type: "image/png", Data: png,
		Alt:   clip(strings.Join(alt, " · "), 1000),
		Width: chart.Width, Height: height,
		Key: name + "@" + version,
	}
}

// versionStarts lists the first draw under each version after the first:
// "v2 May 28, 2025 · v3 Feb 20, 2026"; "" when the draws are of one version.
func versionStarts(p i18n.Printer, ds []domain.Draw) string {
	old := slices.Clone(ds)
	slices.SortStableFunc(old, func(a, b domain.Draw) int { return strings.Compare(a.Date, b.Date) })
	var out []string
	for i := 1; i < len(old); i++ {
		if old[i].Version != old[i-1].Version && old[i].Version > 0 && old[i-1].Version > 0 {
			out = append(out, p.T("chart.version.start", "N", old[i].Version, "Date", p.Date(old[i].Date)))
		}
	}
	return strings.Join(out, " · ")
}

// hasGap reports draws more than half a year apart, which the chart joins
// with a dotted line.
func hasGap(ds []domain.Draw) bool {
	dates := make([]string, 0, len(ds))
	for _, d := range ds {
		dates = append(dates, d.Date)
	}
	slices.Sort(dates)
	for i := 1; i < len(dates); i++ {
		a, err1 := time.Parse(time.DateOnly, dates[i-1])
		b, err2 := time.Parse(time.DateOnly, dates[i])
		if err1 == nil && err2 == nil && b.Sub(a) > chart.MaxGap {
			return true
		}
	}
	return false
}

func slugs(series []chart.Series) []string {
	out := make([]string, len(series))
	for i, s := range series {
		out[i] = slug(string(s.Key))
	}
	return out
}

// slug keeps letters, digits and dashes: a file name part.
func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
