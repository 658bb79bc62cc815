// Package ircc reads IRCC's Express Entry rounds feed (ee_rounds_123_en.json)
// into domain draws. It is strict on the fields every answer depends on
// (number, date, size, CRS) and lenient on free-text times and the pool
// distribution, which it reports as warnings: the poller rejects a feed whole
// on error and keeps its last good copy, so an error must mean the feed is
// really unusable.
package ircc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/eebot/eebot/internal/domain"
)

// text is a feed value. IRCC sends every value as a JSON string; a number or
// other literal is kept as its JSON text so that a changed type shows up as
// a clear field error, not a whole-document decoding error.
type text string

func (t *text) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		// The decoder has already checked b; a valid UTF-8 string without
		// escapes needs no second decoding (the feed has none: 2.5x faster).
		if len(b) >= 2 && bytes.IndexByte(b, '\\') < 0 && utf8.Valid(b) {
			*t = text(b[1 : len(b)-1])
			return nil
		}
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = text(s)
		return nil
	}
	*t = text(b)
	return nil
}

// row is one element of "rounds". Pointers tell a missing key from "".
type row struct {
	Number    *text `json:"drawNumber"`
	NumberURL *text `json:"drawNumberURL"`
	Date      *text `json:"drawDate"`
	DateFull  *text `json:"drawDateFull"`
	Name      *text `json:"drawName"`
	Size      *text `json:"drawSize"`
	CRS       *text `json:"drawCRS"`
	MIText    *text `json:"mitext"`
	Text1     *text `json:"DrawText1"`
	Text2     *text `json:"drawText2"`
	DateTime  *text `json:"drawDateTime"`
	CutOff    *text `json:"drawCutOff"`
	AsOn      *text `json:"drawDistributionAsOn"`

	DD1  *text `json:"dd1"`
	DD2  *text `json:"dd2"`
	DD3  *text `json:"dd3"`
	DD4  *text `json:"dd4"`
	DD5  *text `json:"dd5"`
	DD6  *text `json:"dd6"`
	DD7  *text `json:"dd7"`
	DD8  *text `json:"dd8"`
	DD9  *text `json:"dd9"`
	DD10 *text `json:"dd10"`
	DD11 *text `json:"dd11"`
	DD12 *text `json:"dd12"`
	DD13 *text `json:"dd13"`
	DD14 *text `json:"dd14"`
	DD15 *text `json:"dd15"`
	DD16 *text `json:"dd16"`
	DD17 *text `json:"dd17"`
	DD18 *text `json:"dd18"`

	dd [19]*text // dd[i] is DDi, filled by index
}

func (r *row) index() {
	r.dd = [19]*text{nil, r.DD1, r.DD2, r.DD3, r.DD4, r.DD5, r.DD6, r.DD7, r.DD8, r.DD9,
		r.DD10, r.DD11, r.DD12, r.DD13, r.DD14, r.DD15, r.DD16, r.DD17, r.DD18}
}

func str(t *text) string {
	if t == nil {
		return ""
	}
	return string(*t)
}

// maxRounds bounds a feed far above IRCC's ~50 rounds a year, so a runaway
// document cannot make us build millions of draws.
const maxRounds = 100000

// Parse reads the feed into draws, in feed order (newest first), and drops
// the warnings. See ParseReport.
func Parse(b []byte) ([]domain.Draw, error) {
	draws, _, err := ParseReport(b)
	return draws, err
}

// ParseReport reads the feed into draws, in feed order, with the non-fatal
// oddities it met. On error it returns no draws: the feed as a whole is not
// to be trusted. Source is left empty for the caller to set.
func ParseReport(b []byte) ([]domain.Draw, []Warning, error) {
	var feed struct {
		Rounds *[]row `json:"rounds"`
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) // a BOM is harmless; do not fail on it
	if err := json.Unmarshal(b, &feed); err != nil {
		return nil, nil, fmt.Errorf("ircc: feed is not valid JSON: %w", err)
	}
	if feed.Rounds == nil {
		return nil, nil, errors.New(`ircc: feed has no "rounds" list`)
	}
	rows := *feed.Rounds
	if len(rows) == 0 {
		return nil, nil, errors.New("ircc: feed has zero rounds")
	}
	if len(rows) > maxRounds {
		return nil, nil, fmt.Errorf("ircc: feed has %d rounds, more than %d", len(rows), maxRounds)
	}
	draws := make([]domain.Draw, 0, len(rows))
	var warns []Warning
	seen := make(map[string]int, len(rows))
	for i := range rows {
		d, err := parseRow(&rows[i], i, &warns)
		if err != nil {
			return nil, nil, err
		}
		key := strings.ToLower(d.Number)
		if j, dup := seen[key]; dup {
			return nil, nil, fmt.Errorf("ircc: draw %s: drawNumber duplicated (rounds %d and %d)", d.Number, j+1, i+1)
		}
		seen[key] = i
		draws = append(draws, d)
	}
	return draws, warns, nil
}

// fieldErr formats the one-line error that names the draw and the field.
func fieldErr(number, field, value string, err error) error {
	return fmt.Errorf("ircc: draw %s: %s %q: %v", number, field, value, err)
}

func parseRow(r *row, i int, warns *[]Warning) (domain.Draw, error) {
	r.index()
	var d domain.Draw
	number := strings.TrimSpace(str(r.Number))
	if number == "" {
		return d, fmt.Errorf("ircc: round %d of the feed: drawNumber missing", i+1)
	}
	seq, err := drawSeq(number)
	if err != nil {
		return d, fieldErr(number, "drawNumber", number, err)
	}
	d.Number, d.Seq = number, seq
	warn := func(field, msg string) {
		*warns = append(*warns, Warning{Number: number, Field: field, Msg: msg})
	}

	d.Date, err = drawDate(str(r.Date), str(r.DateFull), warn)
	if err != nil {
		return d, fmt.Errorf("ircc: draw %s: %v", number, err)
	}
	if d.Size, err = parseCount(str(r.Size)); err != nil {
		return d, fieldErr(number, "drawSize", str(r.Size), err)
	}
	if d.CRS, err = parseCount(str(r.CRS)); err != nil {
		return d, fieldErr(number, "drawCRS", str(r.CRS), err)
	}
	if d.CRS > 1200 {
		return d, fieldErr(number, "drawCRS", str(r.CRS), errors.New("above the CRS maximum of 1200"))
	}

	d.Name = strings.TrimSpace(str(r.Name))
	d.Category, d.Version, d.Type = Classify(d.Name)
	if d.Type == domain.TypeUnmapped {
		warn("drawName", fmt.Sprintf("%q: no category or program rule matches", d.Name))
	}
	d.Programs = strings.TrimSpace(str(r.Text2))
	d.URL = drawURL(r, number, warn)

	d.DrawnRaw = strings.TrimSpace(str(r.DateTime))
	d.DrawnAt = drawTime(d.DrawnRaw, d.Date, "drawDateTime", warn)
	if d.DrawnRaw == "" {
		warn("drawDateTime", "empty")
	} else if off := daysApart(d.DrawnAt, d.Date); off > 1 {
		// IRCC's date and its UTC time differ by a day in ten rows; more
		// than that (draw 357: "July 12" for 2025-07-22) is a typo in one.
		warn("drawDateTime", fmt.Sprintf("%q is %d days from the draw date %s", d.DrawnRaw, off, d.Date))
	}
	d.TieRaw = strings.TrimSpace(str(r.CutOff))
	d.TieBreak = drawTime(d.TieRaw, d.Date, "drawCutOff", warn)
	if !d.TieBreak.IsZero() && !d.DrawnAt.IsZero() && d.TieBreak.After(d.DrawnAt) {
		warn("drawCutOff", fmt.Sprintf("%q is after the draw time", d.TieRaw))
	}

	d.Dist = distribution(r, warn)
	return d, nil
}

// drawSeq checks a draw number ("437", "91a") and returns its numeric part.
func drawSeq(number string) (int, error) {
	j := 0
	for j < len(number) && isDigit(number[j]) {
		j++
	}
	rest := number[j:]
	if j == 0 || j > 6 || len(rest) > 1 || (len(rest) == 1 && !isLetter(rest[0])) {
		return 0, errors.New(`not a round number like "437" or "91a"`)
	}
	return strconv.Atoi(number[:j])
}

// drawDate returns the draw's ISO date. drawDate is the field IRCC keeps
// clean; drawDateFull ("August 19, 2026") is the fallback when it is not.
func drawDate(iso, full string, warn func(field, msg string)) (string, error) {
	iso, full = strings.TrimSpace(iso), strings.TrimSpace(full)
	fromFull, fullOK := ParseLongDate(full)
	if t, err := time.Parse(time.DateOnly, iso); err == nil && t.Year() >= 2000 && t.Year() <= 2099 {
		if fullOK && fromFull != iso {
			warn("drawDateFull", fmt.Sprintf("%q disagrees with drawDate %s", full, iso))
		}
		return iso, nil
	}
	if fullOK {
		warn("drawDate", fmt.Sprintf("%q is not a YYYY-MM-DD date of this century; used drawDateFull %q", iso, full))
		return fromFull, nil
	}
	return "", fmt.Errorf("drawDate %q: not a YYYY-MM-DD date, and drawDateFull %q is not a date either", iso, full)
}

// drawTime parses a free-text time, warning when non-empty text fails.
func drawTime(raw, date, field string, warn func(field, msg string)) time.Time {
	if raw == "" {
		return time.Time{}
	}
	t, ok := ParseTime(raw, date)
	if !ok {
		warn(field, fmt.Sprintf("%q: time not understood; kept as text", raw))
	}
	return t
}

// drawURL picks the first usable link among the three anchors of a row; the
// canonical URL stands in when none is usable.
func drawURL(r *row, number string, warn func(field, msg string)) string {
	for _, f := range []struct {
		name string
		v    *text
	}{{"drawNumberURL", r.NumberURL}, {"mitext", r.MIText}, {"DrawText1", r.Text1}} {
		if f.v == nil || strings.TrimSpace(string(*f.v)) == "" {
			continue
		}
		href := hrefOf(string(*f.v))
		if u, ok := publicURL(href, number); ok {
			return u
		}
		warn(f.name, fmt.Sprintf("link %q is not a canada.ca page of this round; ignored", href))
	}
	return domain.RoundURL(number)
}

// daysApart is the whole days between t's UTC date and the ISO date; 0 when
// t is zero.
func daysApart(t time.Time, date string) int {
	ref, err := time.Parse(time.DateOnly, date)
	if t.IsZero() || err != nil {
		return 0
	}
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	n := int(day.Sub(ref).Hours() / 24)
	if n < 0 {
		n = -n
	}
	return n
}
