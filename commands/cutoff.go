package commands

import (
	"context"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/reply"
)

// latestPair returns a category's newest draw and the one before it.
func (e *Engine) latestPair(ctx context.Context, key domain.Key) (*domain.Draw, *domain.Draw, error) {
	ds, err := e.store.Draws(ctx, domain.DrawFilter{Category: key, Limit: 2})
	if err != nil || len(ds) == 0 {
		return nil, nil, err
	}
	if key == "" && ds[0].Category != "" {
		// The latest draw of any kind is compared with the previous one
		// of its own category: a French-language cutoff against a CEC one
		// says nothing.
		if ds, err = e.store.Draws(ctx, domain.DrawFilter{Category: ds[0].Category, Limit: 2}); err != nil {
			return nil, nil, err
		}
	}
	if len(ds) == 1 {
		return &ds[0], nil, nil
	}
	return &ds[0], &ds[1], nil
}

// cutoff answers with a category's latest draw, the cutoff first.
func (e *Engine) cutoff(ctx context.Context, r Request) (reply.Reply, error) {
	p := r.p
	key, _ := r.Options.Category("category")
	asOf, err := e.asOf(ctx)
	if err != nil {
		return reply.Reply{}, err
	}
	latest, prev, err := e.latestPair(ctx, key)
	if err != nil {
		return reply.Reply{}, err
	}
	if latest == nil {
		return reply.Reply{Status: reply.StatusNotFound, Title: p.T("no_draw_yet", "Cat", catIn(p, key)), Category: string(key),
			Summary: p.T("no_draw_yet.body", "Cat", catIn(p, key), "Date", p.Date(asOf)),
			Source:  feedSource, AsOf: asOf, Footer: footer(p, "footer.feed", asOf)}, nil
	}
	rep := e.drawCard(ctx, p, *latest, prev, key == "")
	rep.Summary += " · " + ago(p, daysSince(latest.Date, e.now()))
	rep.AsOf, rep.Footer = asOf, footer(p, "footer.feed", asOf)
	return rep, nil
}

// drawCard is the answer about one draw: the headline (category, cutoff,
// invitations, date), then what adds to it, each fact once: the change
// against the previous draw of its category, IRCC's round name, the
// tie-break, the official link. named puts "Latest draw" before the
// category, for an answer about draws of any type.
func (e *Engine) drawCard(ctx context.Context, p i18n.Printer, d domain.Draw, prev *domain.Draw, named bool) reply.Reply {
	id := "draw.headline"
	if named {
		id = "draw.headline.latest"
	}
	rep := reply.Reply{
		Title:    p.T(id, "Cat", catTitle(p, d.Category), "CRS", p.Num(d.CRS), "Invitations", countInvitations(p, d.Size), "Date", p.Date(d.Date)),
		URL:      d.URL,
		Category: string(d.Category),
		Summary:  p.T("draw.no", "Number", d.Number) + " · " + change(p, d, prev),
		Links:    []reply.Link{{Label: p.T("link.round", "Number", d.Number), URL: d.URL}},
		Source:   feedSource,
		Time:     drawTime(d),
	}
	rep.Lines = append(rep.Lines, p.T("draw.round", "Name", e.roundTitle(ctx, p, d.Name)), p.T("draw.tiebreak", "Time", tieBreak(p, d)))
	if d.Origin == domain.OriginModerator {
		rep.Lines = append(rep.Lines, p.T("draw.moderator"))
	}
	if d.Type == domain.TypeUnmapped {
		rep.Lines = append(rep.Lines, p.T("draw.unmapped"))
	}
	return rep
}

// change describes a draw's cutoff against the previous draw of its
// category: "▲8 vs the previous healthcare draw (467, Feb 20, 2026)".
func change(p i18n.Printer, d domain.Draw, prev *domain.Draw) string {
	cat := catIn(p, d.Category)
	switch {
	case prev == nil:
		return p.T("change.first", "Cat", cat)
	case d.CRS == prev.CRS:
		return p.T("change.same", "Cat", cat, "Date", p.Date(prev.Date))
	}
	return p.T("change.diff", "Change", p.Change(d.CRS-prev.CRS), "Cat", cat, "CRS", p.Num(prev.CRS), "Date", p.Date(prev.Date))
}
