package commands

import (
	"context"
	"fmt"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/reply"
)

// staleDays is when a category's silence is worth pointing out.
const staleDays = 90

// latestPair returns a category's newest draw and the one before it.
func (e *Engine) latestPair(ctx context.Context, key string) (*domain.Draw, *domain.Draw, error) {
	ds, err := e.store.Draws(ctx, domain.DrawFilter{Category: key, Limit: 2})
	if err != nil || len(ds) == 0 {
		return nil, nil, err
	}
	if len(ds) == 1 {
		return &ds[0], nil, nil
	}
	return &ds[0], &ds[1], nil
}

func (e *Engine) cutoff(ctx context.Context, r Request) (reply.Reply, error) {
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
		return reply.Reply{Status: reply.StatusNotFound, Title: "No " + label(key) + " draw yet", Category: key,
			Summary: fmt.Sprintf("There has been no %s draw in IRCC's rounds so far (data as of %s).", label(key), asOf),
			Source:  feedSource, AsOf: asOf}, nil
	}
	rep := drawCard(*latest, prev)
	days := daysSince(latest.Date, e.now())
	what := "draw"
	if key != "" {
		what = label(key) + " draw"
	}
	rep.Summary = fmt.Sprintf("Latest %s: #%s on %s, CRS cutoff %d, %s invitations (%s ago).",
		what, latest.Number, latest.Date, latest.CRS, commas(latest.Size), plural(days, "day", "days"))
	if key != "" && days >= staleDays {
		rep.Lines = append(rep.Lines, fmt.Sprintf("No %s draw for %s.", label(key), plural(days, "day", "days")))
	}
	if latest.Type == domain.TypeUnmapped {
		rep.Lines = append(rep.Lines, "IRCC used a round name I don't recognise yet; it is shown as IRCC wrote it.")
	}
	rep.AsOf = asOf
	return rep, nil
}

// drawCard is the standard answer about one draw: title, link and the
// fields users look for.
func drawCard(d domain.Draw, prev *domain.Draw) reply.Reply {
	var lines []string
	if d.Origin == domain.OriginModerator {
		lines = append(lines, "Entered by a moderator from IRCC's announcement; not yet in IRCC's feed, which will replace it.")
	}
	return reply.Reply{
		Lines:    lines,
		Title:    fmt.Sprintf("Express Entry draw #%s: %s", d.Number, d.Name),
		URL:      d.URL,
		Category: d.Category,
		Fields: []reply.Field{
			{Name: "Date", Value: d.Date, Inline: true},
			{Name: "CRS cutoff", Value: fmt.Sprint(d.CRS), Inline: true},
			{Name: "Invitations", Value: commas(d.Size), Inline: true},
			{Name: "Change", Value: change(d, prev), Inline: true},
			{Name: "Tie-break", Value: tieBreak(d), Inline: true},
			{Name: "Round type", Value: d.Name, Inline: true},
		},
		Links:  []reply.Link{{Label: fmt.Sprintf("Official round #%s", d.Number), URL: d.URL}},
		Source: feedSource,
		Time:   drawTime(d),
	}
}
