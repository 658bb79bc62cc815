package chart

import (
	"math"
	"strconv"
	"time"

	"github.com/eebot/eebot/internal/i18n"
)

// niceStep is a round step (1, 2, 2.5 or 5 times a power of ten) that
// cuts span into about n intervals.
func niceStep(span float64, n int) float64 {
	if span <= 0 {
		return 1
	}
	raw := span / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if raw <= m*mag {
			return m * mag
		}
	}
	return 10 * mag
}

// valueTicks are round values covering lo..hi, about n of them, and the
// range they span.
func valueTicks(lo, hi float64, n int) (ticks []float64, from, to float64) {
	if hi <= lo {
		lo, hi = lo-5, hi+5
	}
	step := niceStep(hi-lo, n)
	from = math.Floor(lo/step) * step
	to = math.Ceil(hi/step) * step
	for v := from; v <= to+step/2; v += step {
		ticks = append(ticks, v)
	}
	return ticks, from, to
}

// dateTick is one labelled date on the time axis.
type dateTick struct {
	at    time.Time
	label string
}

// dateTicks picks the first days of years, half-years, quarters or months
// between from and to, as many as fit in width pixels with labels of the
// language.
func dateTicks(p i18n.Printer, from, to time.Time, width int, measure func(string) int) []dateTick {
	for _, months := range []int{1, 2, 3, 6, 12, 24, 36, 60} {
		var ts []dateTick
		t := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
		for !t.After(to) {
			on := (int(t.Month())-1)%months == 0
			if months >= 12 {
				on = t.Month() == time.January && t.Year()%(months/12) == 0
			}
			if !t.Before(from) && on {
				ts = append(ts, dateTick{at: t, label: dateLabel(p, t, months >= 12)})
			}
			t = t.AddDate(0, 1, 0)
		}
		// No label is narrower than a year: skip, unmeasured, what cannot
		// fit (measuring text is most of the cost of an axis).
		if len(ts) == 0 || len(ts)*(measure("2026")+24) > width {
			continue
		}
		widest := 0
		for _, d := range ts {
			widest = max(widest, measure(d.label))
		}
		// each label gets its own width and a gap
		if len(ts)*(widest+24) <= width {
			return ts
		}
	}
	return nil
}

// dateLabel is "Jan 2025" or "janv. 2025"; a year alone for yearly ticks.
func dateLabel(p i18n.Printer, t time.Time, yearOnly bool) string {
	if yearOnly {
		return strconv.Itoa(t.Year())
	}
	return p.MonthShort(t)
}
