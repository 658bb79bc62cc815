package commands

import (
	"context"
	"strings"
	"time"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/i18n"
)

const feedSource = "IRCC Express Entry rounds of invitations"

// tieBreak renders the tie-breaking rule's time, falling back to IRCC's text.
func tieBreak(p i18n.Printer, d domain.Draw) string {
	switch {
	case !d.TieBreak.IsZero():
		return p.Time(d.TieBreak)
	case d.TieRaw != "":
		return d.TieRaw
	}
	return p.T("draw.tiebreak.none")
}

// drawTime renders when the round ran.
func drawTime(d domain.Draw) time.Time {
	if !d.DrawnAt.IsZero() {
		return d.DrawnAt
	}
	t, _ := time.Parse("2006-01-02", d.Date)
	return t
}

// daysSince counts whole days from an ISO date to now.
func daysSince(date string, now time.Time) int {
	t, err := time.Parse("2006-01-02", date)
	if err != nil {
		return 0
	}
	d := int(now.UTC().Truncate(24*time.Hour).Sub(t) / (24 * time.Hour))
	return max(d, 0)
}

// versionName is how a category version is shown: IRCC's draw name (in the
// printer's language when IRCC's French name is known) when one was seen,
// else the category with its version number, marked as inferred.
func (e *Engine) versionName(ctx context.Context, p i18n.Printer, c domain.CategoryVersion) string {
	if c.DrawName != "" {
		return e.roundTitle(ctx, p, c.DrawName)
	}
	return p.T("version.inferred", "Cat", catTitle(p, c.Key), "Version", c.Version)
}

// inForce is a version's dates: "since Feb 18, 2026", "May 31, 2023 to
// Feb 27, 2025".
func inForce(p i18n.Printer, c domain.CategoryVersion) string {
	if c.EffectiveTo == "" {
		return p.T("version.since", "Date", p.Date(c.EffectiveFrom))
	}
	return p.T("version.between", "From", p.Date(c.EffectiveFrom), "To", p.Date(c.EffectiveTo))
}

// experience is a version's work-experience rule in a few words.
func experience(p i18n.Printer, c domain.CategoryVersion) string {
	if c.MinMonths == 0 {
		if c.Key == domain.French {
			return p.T("exp.french")
		}
		return p.T("exp.unknown")
	}
	months := p.T("months.count", "N", c.MinMonths, "Count", c.MinMonths)
	if c.WindowYears > 0 {
		return p.T("exp.within", "Months", months, "Years", p.T("years.count", "N", c.WindowYears, "Count", c.WindowYears))
	}
	return p.T("exp.months", "Months", months)
}

// joinAnd joins words as a sentence does: "a, b and c", "a, b et c".
func joinAnd(p i18n.Printer, xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + p.T("and") + xs[len(xs)-1]
}
