package ircc

import (
	"strconv"
	"strings"
	"time"
)

// IRCC types drawDateTime and drawCutOff by hand, so the text comes in about
// a dozen shapes ("August 19th 2026 at 12:35:37 UTC", "May 31, 2024
// at12:48:30 UTC", "October 7 at 16:38:21 UTC", ...). Rather than list
// layouts for time.Parse, we split the text into tokens and pick out the
// parts we understand; any word we do not know makes the parse fail, so a
// time zone other than UTC is never silently read as UTC.

// token is one run of letters, one run of digits, or one of ':' '-' '/'.
type token struct {
	s     string
	digit bool
}

func tokenize(s string) []token {
	var toks []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case isDigit(c):
			j := i
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			toks = append(toks, token{s[i:j], true})
			i = j
		case isLetter(c):
			j := i
			for j < len(s) && isLetter(s[j]) {
				j++
			}
			toks = append(toks, token{strings.ToLower(s[i:j]), false})
			i = j
		case c == ':' || c == '-' || c == '/':
			toks = append(toks, token{s[i : i+1], false})
			i++
		case c == ' ' || c == ',' || c == '.' || c == '\t' || c == '\n' || c == '\r' || c == 0xa0:
			i++ // separators carry no meaning in IRCC's text
		default:
			// Anything else (non-ASCII, brackets, ...) is unknown text.
			toks = append(toks, token{s[i : i+1], false})
			i++
		}
	}
	return toks
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

var months = map[string]time.Month{
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
	"july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
	"sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

// stamp collects the parts found in one text; -1 means absent.
type stamp struct {
	year, month, day int
	hour, min, sec   int
	ampm             string // "am", "pm" or ""
	isoY, isoM, isoD int    // an embedded YYYY-MM-DD, as in draw 333
	hasTime, hasISO  bool
}

// scan reads the tokens into a stamp. It fails on any word or number it
// cannot place, so odd text is reported rather than guessed at.
func scan(s string) (stamp, bool) {
	st := stamp{year: -1, month: -1, day: -1}
	toks := tokenize(s)
	if len(toks) > 40 {
		return st, false // IRCC's texts are a dozen tokens; refuse junk early
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.digit {
			// hh:mm[:ss]
			if i+2 < len(toks) && toks[i+1].s == ":" && toks[i+2].digit {
				if st.hasTime || len(t.s) > 2 || len(toks[i+2].s) != 2 {
					return st, false
				}
				st.hour, _ = strconv.Atoi(t.s)
				st.min, _ = strconv.Atoi(toks[i+2].s)
				i += 2
				if i+2 < len(toks) && toks[i+1].s == ":" && toks[i+2].digit {
					if len(toks[i+2].s) != 2 {
						return st, false
					}
					st.sec, _ = strconv.Atoi(toks[i+2].s)
					i += 2
				}
				st.hasTime = true
				continue
			}
			// YYYY-MM-DD
			if len(t.s) == 4 && i+4 < len(toks) && toks[i+1].s == "-" && toks[i+2].digit &&
				toks[i+3].s == "-" && toks[i+4].digit && len(toks[i+2].s) <= 2 && len(toks[i+4].s) <= 2 {
				if st.hasISO {
					return st, false
				}
				st.isoY, _ = strconv.Atoi(t.s)
				st.isoM, _ = strconv.Atoi(toks[i+2].s)
				st.isoD, _ = strconv.Atoi(toks[i+4].s)
				st.hasISO = true
				i += 4
				continue
			}
			switch {
			case len(t.s) == 4 && st.year < 0:
				st.year, _ = strconv.Atoi(t.s)
			case len(t.s) <= 2 && st.day < 0:
				st.day, _ = strconv.Atoi(t.s)
				// "19th", "1st": the suffix must follow the day directly.
				if i+1 < len(toks) {
					switch toks[i+1].s {
					case "st", "nd", "rd", "th":
						i++
					}
				}
			default:
				return st, false
			}
			continue
		}
		switch t.s {
		case "at", "utc", "gmt", "z":
			// "at" joins date and time; UTC is what we assume anyway.
		case "am", "pm":
			if st.ampm != "" || !st.hasTime {
				return st, false
			}
			st.ampm = t.s
		default:
			m, ok := months[t.s]
			if !ok || st.month >= 0 {
				return st, false
			}
			st.month = int(m)
		}
	}
	return st, true
}

// ParseTime parses one of IRCC's free-text date-times ("August 19th 2026 at
// 12:35:37 UTC") into a UTC time. date is the draw's YYYY-MM-DD date; its
// year fills in a text that gives none (draw 208: "October 7 at 16:38:21
// UTC"). Text without a zone is read as UTC, as IRCC means it. ok is false
// when the text cannot be read with confidence.
func ParseTime(raw string, date string) (time.Time, bool) {
	st, ok := scan(raw)
	if !ok || !st.hasTime {
		return time.Time{}, false
	}
	y, m, d := st.year, st.month, st.day
	if m < 0 && d < 0 && y < 0 && st.hasISO {
		y, m, d = st.isoY, st.isoM, st.isoD // a bare "2026-08-19 12:35:37"
	}
	if m < 0 || d < 0 {
		return time.Time{}, false
	}
	if st.hasISO && (st.isoM != m || st.isoD != d || (y >= 0 && st.isoY != y)) {
		return time.Time{}, false // two dates that disagree: do not guess
	}
	if y < 0 && st.hasISO {
		y = st.isoY
	}
	yearGuessed := false
	if y < 0 {
		ref, err := time.Parse(time.DateOnly, date)
		if err != nil {
			return time.Time{}, false
		}
		y, yearGuessed = ref.Year(), true
	}
	h, ok := clockHour(st.hour, st.ampm)
	if !ok || st.min > 59 || st.sec > 59 {
		return time.Time{}, false
	}
	t, ok := makeTime(y, m, d, h, st.min, st.sec)
	if !ok {
		return time.Time{}, false
	}
	if yearGuessed {
		// The texts without a year are tie-breaks, which come before the
		// draw; a month after the draw date must be from the year before.
		ref, _ := time.Parse(time.DateOnly, date)
		if t.After(ref.AddDate(0, 0, 1)) {
			if t, ok = makeTime(y-1, m, d, h, st.min, st.sec); !ok {
				return time.Time{}, false
			}
		}
	}
	return t, true
}

// clockHour applies AM/PM. IRCC sometimes writes "15:48:39 AM" or "20:19:59
// PM" after a 24-hour time; there the suffix is noise and is ignored.
func clockHour(h int, ampm string) (int, bool) {
	if h > 23 {
		return 0, false
	}
	switch {
	case ampm == "" || h == 0 || h > 12:
		return h, true
	case ampm == "am" && h == 12:
		return 0, true
	case ampm == "pm" && h < 12:
		return h + 12, true
	}
	return h, true
}

// makeTime builds a UTC time and refuses dates time.Date would roll over
// (February 30) and years outside this century's plausible range.
func makeTime(y, m, d, h, mi, s int) (time.Time, bool) {
	if y < 2000 || y > 2099 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, h, mi, s, 0, time.UTC)
	if t.Day() != d || int(t.Month()) != m {
		return time.Time{}, false
	}
	return t, true
}

// ParseLongDate turns "August 16, 2026" (the feed's drawDateFull and
// drawDistributionAsOn form) into "2026-08-16". An ISO date is accepted as is.
func ParseLongDate(s string) (string, bool) {
	st, ok := scan(s)
	if !ok || st.hasTime || st.ampm != "" {
		return "", false
	}
	y, m, d := st.year, st.month, st.day
	if st.hasISO {
		if y >= 0 || m >= 0 || d >= 0 {
			return "", false
		}
		y, m, d = st.isoY, st.isoM, st.isoD
	}
	if y < 0 || m < 0 || d < 0 {
		return "", false
	}
	t, ok := makeTime(y, m, d, 0, 0, 0)
	if !ok {
		return "", false
	}
	return t.Format(time.DateOnly), true
}
