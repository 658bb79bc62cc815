package commands

import (
	"context"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/i18n"
)

// catTitle is a category's name at the start of a headline: "Healthcare",
// "Santé"; all for "".
func catTitle(p i18n.Printer, key domain.Key) string {
	if key == "" {
		key = all
	}
	return p.T("cat." + string(key))
}

// catIn is a category's name in a sentence: "healthcare", "santé".
func catIn(p i18n.Printer, key domain.Key) string {
	if key == "" {
		key = all
	}
	return p.T("catin." + string(key))
}

// drawsOf is "healthcare draw(s)" or "tirage(s) santé", by n.
func drawsOf(p i18n.Printer, key domain.Key, n int) string {
	return p.T("draw_of", "Cat", catIn(p, key), "Count", n)
}

// roundTitle is IRCC's name of a draw's round type in the printer's
// language; English when IRCC's French name is not known.
func (e *Engine) roundTitle(ctx context.Context, p i18n.Printer, name string) string {
	if p.Lang() != i18n.FR {
		return name
	}
	e.namesOnce.Do(func() {
		names, err := e.store.RoundNamesFR(ctx)
		if err != nil {
			e.log.Error("French round names", "err", err)
		}
		e.namesFR = names
	})
	if fr, ok := e.namesFR[name]; ok {
		return fr
	}
	return name
}

// footer is the source and "data as of" line of an answer from data.
func footer(p i18n.Printer, id, asOf string) string {
	return p.T(id, "Date", p.Date(asOf))
}

// ago is "56 days ago", "il y a 56 jours".
func ago(p i18n.Printer, days int) string {
	return p.T("days_ago", "N", p.Num(days), "Count", days)
}

// draws counts draws: "3 draws", "3 tirages".
func countDraws(p i18n.Printer, n int) string {
	return p.T("draws.count", "N", p.Num(n), "Count", n)
}

// countInvitations counts invitations: "4,000 invitations".
func countInvitations(p i18n.Printer, n int) string {
	return p.T("invitations.count", "N", p.Num(n), "Count", n)
}

var _ = domain.Healthcare
