package chart

import (
	"errors"
	"image"
	"math"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/go-analyze/charts/chartdraw/drawing"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/palette"
)

// Series is one category's line on a cutoff chart.
type Series struct {
	Key   domain.Key
	Name  string        // as the legend names it, in the chart's language
	Draws []domain.Draw // stored draws, in any order; Date, CRS, Size and Version are drawn
}

// Cutoffs is a chart of the CRS cutoff of each draw over time, one line per
// series (all versions of a category on one line, each version change
// marked), the invitations of each draw in a panel beneath, and the latest
// cutoff of each line labelled.
type Cutoffs struct {
	Title    string
	Subtitle string // the period and the source, shown when there is no legend
	Series   []Series
}

// MaxSeries is the most lines one chart holds and stays readable.
const MaxSeries = 6

// MaxGap is the longest silence a line crosses solid.
const MaxGap = 183 * 24 * time.Hour

// ErrNoData is returned for a chart with nothing to draw.
var ErrNoData = errors.New("chart: no data")

// point is one draw placed on the chart.
type point struct {
	at      time.Time
	crs     int
	size    int
	version int
}

// Render draws the chart as a PNG of Width×Height, its words in p's
// language.
func (c Cutoffs) Render(p i18n.Printer) ([]byte, error) {
	lines := make([][]point, 0, len(c.Series))
	var from, to time.Time
	lo, hi, most := math.MaxInt, 0, 0
	n := 0
	for _, s := range c.Series[:min(len(c.Series), MaxSeries)] {
		var pts []point
		for _, d := range s.Draws {
			t, err := time.Parse(time.DateOnly, d.Date)
			if err != nil || d.CRS <= 0 {
				continue // a draw without a date or cutoff has no place on the chart
			}
			pts = append(pts, point{at: t, crs: d.CRS, size: d.Size, version: d.Version})
			if from.IsZero() || t.Before(from) {
				from = t
			}
			if t.After(to) {
				to = t
			}
			lo, hi, most = min(lo, d.CRS), max(hi, d.CRS), max(most, d.Size)
		}
		sort.SliceStable(pts, func(i, j int) bool { return pts[i].at.Before(pts[j].at) })
		lines = append(lines, pts)
		n += len(pts)
	}
	if n == 0 {
		return nil, ErrNoData
	}
	cv := newCanvas(Width, Height)
	const pad = 18

	// Title, then the legend (several lines) or the subtitle (one).
	legendY := cv.paragraph(c.Title, pad, pad+22, Width-2*pad, titlePx, ink, true) + 30
	if len(lines) > 1 {
		// The legend, wrapped onto a second row when the names need it.
		x := pad
		for _, s := range c.Series[:len(lines)] {
			w := cv.measure(s.Name, labelPx, false)
			if x+28+w > Width-pad && x > pad {
				x, legendY = pad, legendY+labelPx+8
			}
			cv.line([]image.Point{{x, legendY - 6}, {x + 22, legendY - 6}}, seriesColor(s.Key), 4, nil)
			cv.text(s.Name, x+28, legendY, labelPx, ink, false, left)
			x += 28 + w + 22
		}
	} else {
		legendY = cv.paragraph(c.Subtitle, pad, legendY, Width-2*pad, labelPx, muted, false)
	}

	// The value axis: round cutoffs, their widest label setting the margin,
	// with room above the lines for the version labels.
	top := float64(hi)
	if versionChanges(lines) {
		top += float64(hi-lo)*0.12*float64(min(len(lines), 3)) + 1
	}
	ticks, vlo, vhi := valueTicks(float64(lo)-float64(hi-lo)*0.04, top, 4) // no dot on the axis line
	tickW := 0
	for _, t := range ticks {
		tickW = max(tickW, cv.measure(strconv.Itoa(int(t)), labelPx, false))
	}
	last := make([]string, len(lines))
	lastW := 0
	for i, pts := range lines {
		if len(pts) > 0 {
			last[i] = p.Num(pts[len(pts)-1].crs)
			lastW = max(lastW, cv.measure(last[i], valuePx, true))
		}
	}
	const axisTitle = 22 // the rotated axis name's column
	plotL := pad + axisTitle + tickW + 10
	plotR := Width - pad - lastW - 14
	plotT := legendY + 22
	xLabelY := Height - pad + 2
	invB := xLabelY - 26
	invT := invB - 62
	plotB := invT - 18

	// The time axis, padded so the first and last dots sit inside.
	span := to.Sub(from)
	if span < 60*24*time.Hour {
		from, to = from.Add(-30*24*time.Hour), to.Add(30*24*time.Hour)
		span = to.Sub(from)
	}
	from, to = from.Add(-span/40), to.Add(span/40)
	xOf := func(t time.Time) int {
		return plotL + int(math.Round(float64(plotR-plotL)*float64(t.Sub(from))/float64(to.Sub(from))))
	}
	yOf := func(v float64) int {
		return plotB - int(math.Round(float64(plotB-plotT)*(v-vlo)/(vhi-vlo)))
	}

	// Grid, value labels and the axis name.
	for _, t := range ticks {
		y := yOf(t)
		cv.line([]image.Point{{plotL, y}, {plotR, y}}, grid, 1, nil)
		cv.text(strconv.Itoa(int(t)), plotL-8, y+6, labelPx, muted, false, right)
	}
	cv.verticalText(p.T("chart.axis.crs"), pad+16, (plotT+plotB)/2, labelPx, muted)
	dates := dateTicks(p, from, to, plotR-plotL, func(s string) int { return cv.measure(s, labelPx, false) })
	for _, d := range dates {
		x := xOf(d.at)
		cv.line([]image.Point{{x, plotT}, {x, invB}}, grid, 1, nil)
		cv.text(d.label, x, xLabelY, labelPx, muted, false, center)
	}
	cv.line([]image.Point{{plotL, plotB}, {plotR, plotB}}, axis, 1, nil)
	cv.line([]image.Point{{plotL, invB}, {plotR, invB}}, axis, 1, nil)

	// Invitations beneath: one bar per draw, on its own scale.
	itick, _, itop := valueTicks(0, float64(max(most, 1)), 1)
	bar := max(2, min(12, (plotR-plotL)/(n*2+1)))
	for i, pts := range lines {
		col := seriesColor(c.Series[i].Key).WithAlpha(190)
		for _, pt := range pts {
			if pt.size <= 0 {
				continue
			}
			x := xOf(pt.at)
			h := int(math.Round(float64(invB-invT) * float64(pt.size) / itop))
			cv.rect(x-bar/2, invB-h, x-bar/2+bar, invB, col)
		}
	}
	if len(itick) > 0 {
		cv.text(p.Num(int(itop)), plotL-8, invT+12, notePx, muted, false, right)
		cv.text("0", plotL-8, invB+5, notePx, muted, false, right)
	}
	cv.haloText(p.T("chart.axis.invitations"), plotL+6, invT+14, notePx, muted, false, left)

	// Version changes: a dashed line at the first draw under each new
	// version of a category, labelled with the version.
	for i, pts := range lines {
		col := seriesColor(c.Series[i].Key)
		labelY := plotT + 16 + i*(notePx+4) // each line's marks on their own row
		for j := 1; j < len(pts); j++ {
			if pts[j].version == pts[j-1].version || pts[j].version == 0 || pts[j-1].version == 0 {
				continue
			}
			x := xOf(pts[j].at)
			cv.line([]image.Point{{x, plotT}, {x, plotB}}, col.WithAlpha(170), 1.5, []float64{5, 4})
			cv.haloText(p.T("chart.version", "N", pts[j].version), x+4, labelY, notePx, textColor(col), true, left)
		}
	}

	// The lines, their dots, and each line's latest cutoff.
	type label struct {
		y, x int
		text string
		col  drawing.Color
	}
	var labels []label
	for i, pts := range lines {
		if len(pts) == 0 {
			continue
		}
		col := seriesColor(c.Series[i].Key)
		xy := make([]image.Point, len(pts))
		for j, pt := range pts {
			xy[j] = image.Point{xOf(pt.at), yOf(float64(pt.crs))}
		}
		// Solid runs between draws less than half a year apart; a longer
		// silence is a thin dashed bridge, so no trend is drawn where there
		// were no draws.
		start := 0
		for j := 1; j <= len(pts); j++ {
			if j < len(pts) && pts[j].at.Sub(pts[j-1].at) <= MaxGap {
				continue
			}
			run := xy[start:j]
			if contrast(col, background) < 2.2 {
				cv.line(run, darker(col, 0.6), 5, nil) // an outline, so pale colours read on white
			}
			cv.line(run, col, 3, nil)
			if j < len(pts) {
				cv.line(xy[j-1:j+1], col, 1.5, []float64{3, 5})
			}
			start = j
		}
		// Dots while they stand apart; a dense line is its own mark.
		if gap := (plotR - plotL) / len(pts); gap >= 6 {
			cv.dots(xy, min(4, float64(gap)/3), col, gap >= 24)
		}
		end := xy[len(xy)-1]
		cv.dots([]image.Point{end}, 6, col, true)
		labels = append(labels, label{y: end.Y + 7, x: end.X + 10, text: last[i], col: textColor(col)})
	}
	// Latest values never overlap: each is pushed below any label placed
	// before it that it would cover.
	slices.SortFunc(labels, func(a, b label) int { return a.y - b.y })
	for i := range labels {
		w := cv.measure(labels[i].text, valuePx, true)
		for moved := true; moved; {
			moved = false
			for j := range i {
				o := labels[j]
				ow := cv.measure(o.text, valuePx, true)
				if labels[i].x < o.x+ow+6 && o.x < labels[i].x+w+6 && labels[i].y-o.y < valuePx+2 && o.y-labels[i].y < valuePx+2 {
					labels[i].y = o.y + valuePx + 2
					moved = true
				}
			}
		}
	}
	for _, l := range labels {
		cv.haloText(l.text, l.x, l.y, valuePx, l.col, true, left)
	}
	return cv.png()
}

// seriesColor is a key's embed colour.
func seriesColor(key domain.Key) drawing.Color { return rgb(palette.Of(key)) }

// textColor is a colour dark enough for text on the background.
func textColor(c drawing.Color) drawing.Color {
	for f := 1.0; f > 0.3 && contrast(c, background) < 3; f -= 0.1 {
		c = darker(c, 0.9)
	}
	return c
}

// versionChanges reports whether any line changes category version.
func versionChanges(lines [][]point) bool {
	for _, pts := range lines {
		for j := 1; j < len(pts); j++ {
			if pts[j].version != pts[j-1].version && pts[j].version > 0 && pts[j-1].version > 0 {
				return true
			}
		}
	}
	return false
}
