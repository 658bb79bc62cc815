package commands

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/reply"
)

const oinpPage = "https://www.ontario.ca/page/ontario-immigrant-nominee-program-oinp-invitations-apply"

// oinpStream shortens OINP stream names for a narrow table.
func oinpStream(s string) string {
	switch {
	case strings.Contains(s, "Foreign Worker"):
		return "Foreign worker"
	case strings.Contains(s, "International Student"):
		return "Intl student"
	case strings.Contains(s, "In-Demand"):
		return "In-demand skills"
	}
	return s
}

func oinpScore(p domain.PNPDraw) string {
	switch p.ScoreRule {
	case "and_above":
		return strconv.Itoa(p.ScoreMin) + "+"
	case "range":
		return fmt.Sprintf("%d-%d", p.ScoreMin, p.ScoreMax)
	}
	return "n/a"
}

// oinp lists Ontario's latest PNP draws, one line each, from a secondary
// dataset that is not refreshed: the headline says how old it is. Stream
// names stay as Ontario writes them in English (no official French short
// names are in the data).
func (e *Engine) oinp(ctx context.Context, r Request) (reply.Reply, error) {
	p := r.p
	n, ok := r.Options.Int("count")
	if !ok {
		n = defaultDraws
	}
	ds, err := e.store.PNPDraws(ctx, n)
	if err != nil {
		return reply.Reply{}, err
	}
	if len(ds) == 0 {
		return reply.Reply{Status: reply.StatusNotFound, Title: p.T("oinp.none")}, nil
	}
	rep := reply.Reply{
		Title:   p.T("oinp.title", "Date", p.Date(ds[0].Date), "Ago", ago(p, daysSince(ds[0].Date, e.now()))),
		URL:     oinpPage,
		Summary: p.T("oinp.streams"),
		Note:    p.T("oinp.note"),
		Links:   []reply.Link{{Label: p.T("oinp.link"), URL: oinpPage}},
		Source:  "Ontario.ca OINP invitations, via sagunji/can-ee-draws",
		AsOf:    ds[0].Date,
		Footer:  footer(p, "footer.oinp", ds[0].Date),
	}
	for _, d := range ds {
		target := d.Occupations
		if target == "" {
			target = d.Region
		}
		line := p.T("oinp.line", "Date", p.Date(d.Date), "Stream", oinpStream(d.Stream), "Invitations", countInvitations(p, d.Invitations), "Score", oinpScore(d))
		if target != "" {
			line += " · " + target
		}
		rep.Lines = append(rep.Lines, line)
	}
	return rep, nil
}
