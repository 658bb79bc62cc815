package commands

import (
	"strconv"
	"strings"
	"time"

	"github.com/eebot/eebot/internal/i18n"
)

// period is a span of draw dates a question asks about. Its canonical text
// is one of: "2025", "2026-03", "this year", "last year", "since 2024",
// "last 12 months", "ever"; a comparison period may also be "same part of
// 2025" or "12 months before".
type period struct {
	text     string // canonical
	from, to string // YYYY-MM-DD, inclusive; "" is open
}

// firstDrawYear bounds the years a period may name: Express Entry began in 2015.
const firstDrawYear = 2015

// takePeriod reads a period at the start of ws (lower-case words) and
// returns how many words it took; 0 when there is none.
func takePeriod(ws []string) int {
	if len(ws) == 0 {
		return 0
	}
	if _, ok := yearOf(ws[0]); ok {
		return 1
	}
	if monthOf(ws[0]) {
		return 1
	}
	switch ws[0] {
	case "ever", "alltime":
		return 1
	case "this", "last", "past":
		if len(ws) >= 2 && ws[1] == "year" {
			return 2
		}
		if len(ws) >= 3 && (ws[2] == "months" || ws[2] == "month") {
			if n, err := strconv.Atoi(ws[1]); err == nil && n >= 1 && n <= 120 {
				return 3
			}
		}
	case "since":
		if len(ws) >= 2 {
			if _, ok := yearOf(ws[1]); ok {
				return 2
			}
		}
	case "all":
		if len(ws) >= 2 && ws[1] == "time" {
			return 2
		}
	}
	return 0
}

// yearOf reads a four-digit year from 2015 to 2099.
func yearOf(w string) (int, bool) {
	if len(w) != 4 || !isDigits(w) {
		return 0, false
	}
	y, _ := strconv.Atoi(w)
	return y, y >= firstDrawYear && y <= 2099
}

// monthOf reports whether w is YYYY-MM.
func monthOf(w string) bool {
	if len(w) != 7 || w[4] != '-' {
		return false // most words; time.Parse would allocate its error
	}
	_, err := time.Parse("2006-01", w)
	return err == nil && len(w) == 7 && w[:4] >= "2015"
}

// parsePeriod reads canonical period text against the clock.
func parsePeriod(text string, now time.Time) (period, bool) {
	ws := strings.Fields(strings.ToLower(text))
	if len(ws) == 0 || takePeriod(ws) != len(ws) {
		return period{}, false
	}
	today := now.UTC().Format(time.DateOnly)
	p := period{text: strings.Join(ws, " ")}
	switch {
	case len(ws) == 1 && ws[0] == "ever", p.text == "all time":
		p.text = "ever"
	case len(ws) == 1 && monthOf(ws[0]):
		t, _ := time.Parse("2006-01", ws[0])
		p.from, p.to = t.Format(time.DateOnly), t.AddDate(0, 1, -1).Format(time.DateOnly)
	case len(ws) == 1:
		p.from, p.to = ws[0]+"-01-01", ws[0]+"-12-31"
	case p.text == "this year":
		p.from, p.to = now.UTC().Format("2006")+"-01-01", today
	case p.text == "last year":
		y := strconv.Itoa(now.UTC().Year() - 1)
		p.from, p.to = y+"-01-01", y+"-12-31"
	case ws[0] == "since":
		p.from = ws[1] + "-01-01"
	default: // last N months
		n, _ := strconv.Atoi(ws[1])
		p.from, p.to = now.UTC().AddDate(0, -n, 0).Format(time.DateOnly), today
		p.text = "last " + ws[1] + " months"
	}
	return p, true
}

// label is how a sentence names the period: "in 2025", "since 2024",
// "in the last 12 months"; "en 2025", "depuis 2024", …
func (per period) label(p i18n.Printer) string {
	ws := strings.Fields(per.text)
	switch {
	case per.text == "ever":
		return p.T("period.ever")
	case per.text == "this year":
		return p.T("period.this_year")
	case per.text == "last year":
		return p.T("period.last_year", "Year", per.from[:4])
	case len(ws) == 1 && monthOf(ws[0]):
		t, _ := time.Parse("2006-01", ws[0])
		return p.T("period.month", "Month", p.Month(t))
	case len(ws) == 1:
		return p.T("period.year", "Year", ws[0])
	case ws[0] == "since":
		return p.T("period.since", "Year", ws[1])
	case ws[0] == "same":
		return p.T("period.same_part", "Year", per.from[:4])
	case ws[0] == "last":
		n, _ := strconv.Atoi(ws[1])
		return p.T("period.last_months", "N", n, "Count", n)
	}
	n, _ := strconv.Atoi(ws[0]) // "12 months before"
	return p.T("period.months_before", "N", n, "Count", n)
}

// previous is the period of the same length just before p, for
// comparison; ok is false for open periods.
func (per period) previous() (period, bool) {
	if per.from == "" || per.to == "" {
		return period{}, false
	}
	from, err1 := time.Parse(time.DateOnly, per.from)
	to, err2 := time.Parse(time.DateOnly, per.to)
	if err1 != nil || err2 != nil {
		return period{}, false
	}
	switch {
	case strings.HasSuffix(per.from, "-01-01") && strings.HasSuffix(per.to, "-12-31"):
		y := strconv.Itoa(from.Year() - 1)
		return period{text: y, from: y + "-01-01", to: y + "-12-31"}, true
	case per.text == "this year":
		return period{text: "same part of", from: from.AddDate(-1, 0, 0).Format(time.DateOnly), to: to.AddDate(-1, 0, 0).Format(time.DateOnly)}, true
	case from.Day() == 1 && to.AddDate(0, 0, 1).Day() == 1 && from.Month() == to.Month():
		prev := from.AddDate(0, -1, 0)
		return period{text: prev.Format("2006-01"), from: prev.Format(time.DateOnly), to: from.AddDate(0, 0, -1).Format(time.DateOnly)}, true
	}
	n := strings.Fields(per.text)[1]
	end := from.AddDate(0, 0, -1)
	return period{text: n + " months before", from: end.Add(-to.Sub(from)).Format(time.DateOnly), to: end.Format(time.DateOnly)}, true
}

// holds reports whether a draw date falls in p (the store selects a
// period's draws itself: domain.DrawFilter's From and To).
func (per period) holds(date string) bool {
	return (per.from == "" || date >= per.from) && (per.to == "" || date <= per.to)
}
