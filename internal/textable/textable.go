// Package textable lays a reply.Table out as monospace text, the one
// layout the console, Discord and Telegram renderers share.
package textable

import (
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/eebot/eebot/internal/reply"
)

const (
	minTextColumn = 5
	shortColumn   = 8
)

// Options shape a table's text.
type Options struct {
	Width int                 // widest line in runes; 0 = no limit
	Gap   int                 // spaces between columns; 0 means 1
	Rule  string              // repeated under the header ("─", "-"); "" = no rule
	Cell  func(string) string // applied to each cell first (e.g. escaping); nil = none
}

// Lines lays a table out as lines of monospace text: numbers right-aligned,
// text columns shortened with "…" (widest first) and, if that is not
// enough, dropped from the right, so no line is wider than o.Width.
func Lines(t reply.Table, o Options) []string {
	width := o.Width
	if width <= 0 {
		width = math.MaxInt
	}
	gap := max(o.Gap, 1)
	ncol := len(t.Header)
	for _, r := range t.Rows {
		ncol = max(ncol, len(r))
	}
	if ncol == 0 {
		return nil
	}
	cell := func(row []string, i int) string {
		if i >= len(row) {
			return ""
		}
		c := strings.Join(strings.FieldsFunc(row[i], breaking), " ")
		if o.Cell != nil {
			c = o.Cell(c)
		}
		return c
	}
	// Natural and minimal widths. Numbers are never cut (a long header is);
	// short text columns (every cell at most shortColumn runes, or all of
	// one width up to 10: dates, codes) are kept whole, since "23 jui…"
	// could be June or July; other text may shrink to minTextColumn with "…".
	nat, low := make([]int, ncol), make([]int, ncol)
	numeric, shrink := make([]bool, ncol), make([]bool, ncol)
	for i := range ncol {
		head, data, same := runes(cell(t.Header, i)), 0, true
		numeric[i] = len(t.Rows) > 0
		for k, r := range t.Rows {
			c := cell(r, i)
			if k > 0 && runes(c) != data {
				same = false
			}
			data = max(data, runes(c))
			if c != "" && !isNumber(c) {
				numeric[i] = false
			}
		}
		nat[i] = max(head, data)
		switch {
		case numeric[i]:
			low[i] = max(data, min(head, 3))
		case len(t.Rows) > 1 && (data <= shortColumn || same && data <= 10):
			low[i] = max(data, min(head, 3))
		default:
			low[i] = min(nat[i], minTextColumn)
			shrink[i] = true
		}
	}
	keep := make([]bool, ncol)
	for i := range keep {
		keep[i] = nat[i] > 0
	}
	sum := func(w []int) int {
		n, k := 0, 0
		for i := range w {
			if keep[i] {
				n += w[i]
				k++
			}
		}
		return n + gap*max(0, k-1)
	}
	// Drop columns until the minimal widths fit: shrinkable text from the
	// right first, then other text, then numbers; the first column stays.
	for sum(low) > width {
		drop := -1
		for i := ncol - 1; i > 0 && drop < 0; i-- {
			if keep[i] && shrink[i] {
				drop = i
			}
		}
		for i := ncol - 1; i > 0 && drop < 0; i-- {
			if keep[i] && !numeric[i] {
				drop = i
			}
		}
		for i := ncol - 1; i > 0 && drop < 0; i-- {
			if keep[i] {
				drop = i
			}
		}
		if drop < 0 {
			break
		}
		keep[drop] = false
	}
	w := slices.Clone(nat)
	// Shorten long headers of numbers, then the widest text column.
	for i := range w {
		if numeric[i] && sum(w) > width {
			w[i] = max(low[i], w[i]-(sum(w)-width))
		}
	}
	for sum(w) > width {
		wi := -1
		for i := range w {
			if keep[i] && w[i] > low[i] && (wi < 0 || w[i] > w[wi]) {
				wi = i
			}
		}
		if wi < 0 {
			break
		}
		w[wi]--
	}
	total := func() int { return sum(w) }

	var lines []string
	line := func(row []string) {
		var l strings.Builder
		first := true
		for i := range ncol {
			if !keep[i] {
				continue
			}
			if !first {
				l.WriteString(strings.Repeat(" ", gap))
			}
			first = false
			c := clip(cell(row, i), w[i])
			pad := strings.Repeat(" ", w[i]-runes(c))
			if numeric[i] {
				l.WriteString(pad + c)
			} else {
				l.WriteString(c + pad)
			}
		}
		lines = append(lines, strings.TrimRight(l.String(), " "))
	}
	if len(t.Header) > 0 {
		line(t.Header)
		if o.Rule != "" {
			lines = append(lines, strings.Repeat(o.Rule, min(total(), width)))
		}
	}
	for _, r := range t.Rows {
		line(r)
	}
	return lines
}

// breaking is white space that may break a line; French digit groups'
// no-break spaces stay in the cell.
func breaking(r rune) bool { return unicode.IsSpace(r) && r != '\u00a0' && r != '\u202f' }

func runes(s string) int { return utf8.RuneCountInString(s) }

// clip shortens s to n runes, ending with "…" when cut.
func clip(s string, n int) string {
	if runes(s) <= n {
		return s
	}
	if n <= 1 {
		return string([]rune(s)[:n])
	}
	return string([]rune(s)[:n-1]) + "…"
}

// isNumber accepts "4,000", "+8", "-12", "475", "1.5", "n/a"-free digits.
func isNumber(s string) bool {
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == ',' || r == '.' || r == '%' || r == '\u00a0' || r == '\u202f': // French groups digits with a no-break space
		case (r == '+' || r == '-' || r == '−') && i == 0:
		default:
			return false
		}
	}
	return digits > 0
}
