package commands

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// period is a span of draw dates a question asks about. Its canonical
// text is one of: "2025", "2026-03", "this year", "last year", "since
// 2024", "last 12 months", "ever".
type period struct {
	text     string // canonical
	from, to string // YYYY-MM-DD, inclusive; "" is open
	label    string // for sentences: "in 2025", "since 2024", "in the last 12 months"
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
		p.text, p.label = "ever", "since Express Entry began"
	case len(ws) == 1 && monthOf(ws[0]):
		t, _ := time.Parse("2006-01", ws[0])
		p.from, p.to = t.Format(time.DateOnly), t.AddDate(0, 1, -1).Format(time.DateOnly)
		p.label = "in " + t.Format("January 2006")
	case len(ws) == 1:
		p.from, p.to, p.label = ws[0]+"-01-01", ws[0]+"-12-31", "in "+ws[0]
	case p.text == "this year":
		p.from, p.to, p.label = now.UTC().Format("2006")+"-01-01", today, "this year"
	case p.text == "last year":
		y := strconv.Itoa(now.UTC().Year() - 1)
		p.from, p.to, p.label = y+"-01-01", y+"-12-31", "last year ("+y+")"
	case ws[0] == "since":
		p.from, p.label = ws[1]+"-01-01", "since "+ws[1]
	default: // last N months
		n, _ := strconv.Atoi(ws[1])
		p.from = now.UTC().AddDate(0, -n, 0).Format(time.DateOnly)
		p.to = today
		p.text = fmt.Sprintf("last %d months", n)
		p.label = "in the " + p.text
	}
	return p, true
}

// previous is the period of the same length just before p, for
// comparison; ok is false for open periods.
func (p period) previous() (period, bool) {
	if p.from == "" || p.to == "" {
		return period{}, false
	}
	from, err1 := time.Parse(time.DateOnly, p.from)
	to, err2 := time.Parse(time.DateOnly, p.to)
	if err1 != nil || err2 != nil {
		return period{}, false
	}
	switch {
	case strings.HasSuffix(p.from, "-01-01") && strings.HasSuffix(p.to, "-12-31"):
		y := from.Year() - 1
		return period{from: fmt.Sprintf("%d-01-01", y), to: fmt.Sprintf("%d-12-31", y), label: fmt.Sprintf("in %d", y)}, true
	case p.text == "this year":
		return period{from: from.AddDate(-1, 0, 0).Format(time.DateOnly), to: to.AddDate(-1, 0, 0).Format(time.DateOnly),
			label: "over the same part of " + strconv.Itoa(from.Year()-1)}, true
	case from.Day() == 1 && to.AddDate(0, 0, 1).Day() == 1 && from.Month() == to.Month():
		prev := from.AddDate(0, -1, 0)
		return period{from: prev.Format(time.DateOnly), to: from.AddDate(0, 0, -1).Format(time.DateOnly), label: "in " + prev.Format("January 2006")}, true
	}
	span := to.Sub(from)
	end := from.AddDate(0, 0, -1)
	return period{from: end.Add(-span).Format(time.DateOnly), to: end.Format(time.DateOnly), label: "in the " + strings.TrimPrefix(p.label, "in the ") + " before"}, true
}

// holds reports whether a draw date falls in p.
func (p period) holds(date string) bool {
	return (p.from == "" || date >= p.from) && (p.to == "" || date <= p.to)
}
