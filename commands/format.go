package commands

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/eebot/eebot/internal/domain"
)

const feedSource = "IRCC Express Entry rounds of invitations"

// commas formats 4000 as "4,000".
func commas(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// signed formats a change: "+8", "-12", "0".
func signed(n int) string {
	if n > 0 {
		return "+" + commas(n)
	}
	return commas(n)
}

// shortType is a draw's type in a few characters, for tables: "Healthcare v3".
func shortType(d domain.Draw) string {
	var s string
	switch k := d.Category; k {
	case domain.CEC, domain.PNP, domain.FSW, domain.FST, domain.STEM:
		s = strings.ToUpper(k)
	case domain.SeniorManagers:
		s = "Sr managers"
	case domain.NoProgram:
		s = "No program"
	case domain.Unmapped, "":
		s = "Unmapped"
	default: // "healthcare" → "Healthcare"
		s = strings.ToUpper(k[:1]) + k[1:]
	}
	if d.Type == domain.TypeCategory && d.Version > 0 {
		s += fmt.Sprintf(" v%d", d.Version)
	}
	return s
}

// label is a key's human name, or "any type" for the all pseudo-category.
func label(key string) string {
	if key == all {
		return "any type"
	}
	return domain.Label(key)
}

// tieBreak renders the tie-breaking rule time, falling back to IRCC's text.
func tieBreak(d domain.Draw) string {
	switch {
	case !d.TieBreak.IsZero():
		return d.TieBreak.UTC().Format("2006-01-02 15:04:05") + " UTC"
	case d.TieRaw != "":
		return d.TieRaw
	}
	return "not published"
}

// drawTime renders when the round ran.
func drawTime(d domain.Draw) time.Time {
	if !d.DrawnAt.IsZero() {
		return d.DrawnAt
	}
	t, _ := time.Parse("2006-01-02", d.Date)
	return t
}

// change describes a draw's CRS against the previous draw of its category.
func change(d domain.Draw, prev *domain.Draw) string {
	if prev == nil {
		return "first draw of this type"
	}
	if d.CRS == prev.CRS {
		return fmt.Sprintf("same as #%s (%s)", prev.Number, prev.Date)
	}
	return fmt.Sprintf("%s vs #%s (%d on %s)", signed(d.CRS-prev.CRS), prev.Number, prev.CRS, prev.Date)
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

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return commas(n) + " " + many
}

// versionName is how a category version is shown: IRCC's draw name when one
// was seen, else our name with the (possibly inferred) version number.
func versionName(c domain.CategoryVersion) string {
	if c.DrawName != "" {
		return c.DrawName
	}
	return fmt.Sprintf("%s (version %d, number inferred)", c.Name, c.Version)
}

// inForce is a version's dates: "2023-05-31 to 2025-02-27" or "since 2026-02-18".
func inForce(c domain.CategoryVersion) string {
	if c.EffectiveTo == "" {
		return "since " + c.EffectiveFrom
	}
	return c.EffectiveFrom + " to " + c.EffectiveTo
}

// experience is a version's work-experience rule in a few words.
func experience(c domain.CategoryVersion) string {
	if c.MinMonths == 0 {
		if c.Key == domain.French {
			return "no occupation list; French-language rule"
		}
		return "experience rule not confirmed"
	}
	s := plural(c.MinMonths, "month", "months") + " of work experience in a listed occupation"
	if c.WindowYears > 0 {
		s += " within " + plural(c.WindowYears, "year", "years")
	}
	return s
}
