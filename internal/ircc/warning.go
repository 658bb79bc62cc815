package ircc

import "fmt"

// Warning is a non-fatal oddity in one feed row: a time that could not be
// read, a distribution whose subtotals disagree. The row is still used; the
// caller logs the warning so a person can look at it.
type Warning struct {
	Number string // draw number, or "#i" (row index) when the row has none
	Field  string // feed field name, e.g. "drawCutOff", "dd3"
	Msg    string
}

func (w Warning) String() string {
	return fmt.Sprintf("ircc: draw %s: %s: %s", w.Number, w.Field, w.Msg)
}
