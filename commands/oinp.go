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

// oinp lists Ontario's latest PNP draws, a secondary dataset that is not
// refreshed: the answer says how old it is.
func (e *Engine) oinp(ctx context.Context, r Request) (reply.Reply, error) {
	n, ok := r.Options.Int("count")
	if !ok {
		n = defaultDraws
	}
	ds, err := e.store.PNPDraws(ctx, n)
	if err != nil {
		return reply.Reply{}, err
	}
	if len(ds) == 0 {
		return reply.Reply{Status: reply.StatusNotFound, Title: "No Ontario draws", Summary: "I have no OINP draw data."}, nil
	}
	t := &reply.Table{Header: []string{"Date", "Stream", "ITAs", "Score", "For"}}
	for _, d := range ds {
		target := d.Occupations
		if target == "" {
			target = d.Region
		}
		if target == "" {
			target = "general"
		}
		t.Rows = append(t.Rows, []string{d.Date, oinpStream(d.Stream), commas(d.Invitations), oinpScore(d), target})
	}
	return reply.Reply{
		Title: fmt.Sprintf("Ontario (OINP) draws: latest %d", len(ds)),
		URL:   oinpPage,
		Summary: fmt.Sprintf("Newest first; the newest I have is %s, %s old. Ontario's Employer Job Offer, Masters, PhD and Entrepreneur streams only (not Ontario's Express Entry streams).",
			ds[0].Date, plural(daysSince(ds[0].Date, e.now()), "day", "days")),
		Table:  t,
		Note:   "A third party's hand-normalised copy of Ontario.ca's tables, last updated in February 2026 and not refreshed by this bot: check Ontario.ca for newer draws.",
		Links:  []reply.Link{{Label: "OINP invitations to apply (Ontario.ca)", URL: oinpPage}},
		Source: "Ontario.ca OINP invitations, via sagunji/can-ee-draws",
		AsOf:   ds[0].Date,
	}, nil
}
