package chart

import (
	"image"
	"math"
	"strconv"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/palette"
)

// Pool is a chart of the pool's latest distribution by score band, highest
// band on top (bands wider than ten points in a lighter shade, since
// their bars hold more scores), with each band's change since the previous snapshot (a tick
// where the band stood, the difference written beside it).
type Pool struct {
	Title    string
	Subtitle string
	Current  domain.Distribution
	Previous *domain.Distribution // nil when there is none
}

// Render draws the chart as a PNG of Width×PoolHeight, its words in p's
// language.
func (c Pool) Render(p i18n.Printer) ([]byte, error) {
	bands := c.Current.Bands
	if len(bands) == 0 {
		return nil, ErrNoData
	}
	prev := map[[2]int]int{}
	if c.Previous != nil {
		for _, b := range c.Previous.Bands {
			prev[[2]int{b.Lo, b.Hi}] = b.Candidates
		}
	}
	most := 0
	for _, b := range bands {
		most = max(most, b.Candidates, prev[[2]int{b.Lo, b.Hi}])
	}
	cv := newCanvas(Width, PoolHeight)
	const pad = 18
	y := cv.paragraph(c.Title, pad, pad+22, Width-2*pad, titlePx, ink, true)
	y = cv.paragraph(c.Subtitle, pad, y+30, Width-2*pad, labelPx, muted, false)

	px := float64(labelPx)
	top, bottom := y+20, PoolHeight-pad
	row := float64(bottom-top) / float64(len(bands))
	if row < px+6 {
		px = max(11, row-6)
	}
	labelW, valueW := 0, 0
	values := make([]string, len(bands))
	changes := make([]string, len(bands))
	for i, b := range bands {
		labelW = max(labelW, cv.measure(bandLabel(b), px, false))
		values[i] = p.Num(b.Candidates)
		if n, ok := prev[[2]int{b.Lo, b.Hi}]; ok {
			changes[i] = signed(p, b.Candidates-n)
		}
		valueW = max(valueW, cv.measure(values[i], px, true)+10+cv.measure(changes[i], px, false))
	}
	barL := pad + labelW + 10
	barR := Width - pad - valueW - 12
	xOf := func(n int) int { return barL + int(math.Round(float64(barR-barL)*float64(n)/float64(max(most, 1)))) }
	col := rgb(palette.Default)
	for i, b := range bands {
		y0 := top + int(math.Round(row*float64(i)))
		y1 := top + int(math.Round(row*float64(i+1)))
		mid := (y0 + y1) / 2
		bar := max(4, int(row*0.68))
		cv.text(bandLabel(b), barL-10, mid+int(px*0.36), px, muted, false, right)
		end := xOf(b.Candidates)
		fill := col
		if b.Hi-b.Lo >= 10 && b.Hi-b.Lo+1 > 10 {
			fill = col.WithAlpha(130) // a wider band than the ten-point ones: not comparable bar for bar
		}
		cv.rect(barL, mid-bar/2, end, mid+bar/2, fill)
		if n, ok := prev[[2]int{b.Lo, b.Hi}]; ok {
			x := xOf(n)
			cv.line([]image.Point{{x, mid - bar/2 - 3}, {x, mid + bar/2 + 3}}, ink, 2, nil)
		}
		x := max(end, xOf(prev[[2]int{b.Lo, b.Hi}])) + 8
		cv.text(values[i], x, mid+int(px*0.36), px, ink, true, left)
		if changes[i] != "" {
			cv.text(changes[i], x+cv.measure(values[i], px, true)+10, mid+int(px*0.36), px, muted, false, left)
		}
	}
	cv.line([]image.Point{{barL, top - 2}, {barL, bottom}}, axis, 1, nil)
	return cv.png()
}

func bandLabel(b domain.Band) string { return strconv.Itoa(b.Lo) + "–" + strconv.Itoa(b.Hi) }

// signed writes a change with its sign: "+258", "-1,048", "0".
func signed(p i18n.Printer, n int) string {
	switch {
	case n > 0:
		return "+" + p.Num(n)
	case n < 0:
		return "-" + p.Num(-n) // the fonts have no U+2212 minus
	}
	return "0"
}
