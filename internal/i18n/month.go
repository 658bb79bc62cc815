package i18n

import (
	"strconv"
	"time"
)

// MonthShort writes a month briefly, for a chart's time axis: "Jan 2025",
// "janv. 2025".
func (p Printer) MonthShort(t time.Time) string {
	if p.lang == FR {
		return monthsShortFR[t.Month()-1] + nbsp + strconv.Itoa(t.Year())
	}
	return t.Format("Jan 2006")
}
