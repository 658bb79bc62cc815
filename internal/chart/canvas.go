package chart

import (
	"image"
	"math"
	"strings"

	"github.com/go-analyze/charts"
	"github.com/go-analyze/charts/chartdraw"
	"github.com/go-analyze/charts/chartdraw/drawing"
	"github.com/golang/freetype/truetype"
)

// The size of the charts: as wide as a chat scales a picture to on a
// phone, with text sized to read there; cutoffs in the 16:9 both chats
// show whole, the pool's fifteen bands in 4:3.
const (
	Width      = 800
	Height     = 450
	PoolHeight = 600
)

// The colours around the data: one light theme, drawn on an opaque
// background so the chart reads the same in a chat's light and dark themes.
var (
	background = rgb(0xFFFFFF)
	ink        = rgb(0x1F2328) // titles, values
	muted      = rgb(0x57606A) // axis labels, notes
	grid       = rgb(0xE4E7EB)
	axis       = rgb(0x8C959F)
	frame      = rgb(0xD0D7DE) // the border that sets the card off a white chat
)

// Text sizes in pixels: on a phone a chart is about 340 points wide, so
// these read at 8 to 11 points.
const (
	titlePx = 27
	labelPx = 20
	valuePx = 22
	notePx  = 17
)

func rgb(c int) drawing.Color {
	return drawing.Color{R: uint8(c >> 16), G: uint8(c >> 8), B: uint8(c), A: 255}
}

// canvas draws on one PNG with the chart fonts.
type canvas struct {
	r             chartdraw.Renderer
	w, h          int
	regular, bold *truetype.Font
	widths        map[measured]int // measuring text is a good part of a chart's cost
}

type measured struct {
	s    string
	px   float64
	bold bool
}

func newCanvas(w, h int) *canvas {
	c := &canvas{r: chartdraw.PNG(w, h), w: w, h: h, regular: charts.GetFont(charts.FontFamilyNotoSans), bold: charts.GetFont(charts.FontFamilyNotoSansBold)}
	c.rect(0, 0, w, h, background)
	c.r.SetStrokeColor(frame)
	c.r.SetStrokeWidth(2)
	c.r.MoveTo(1, 1)
	c.r.LineTo(w-1, 1)
	c.r.LineTo(w-1, h-1)
	c.r.LineTo(1, h-1)
	c.r.LineTo(1, 1)
	c.r.Stroke()
	c.r.ResetStyle()
	return c
}

// font picks a face and sets the size (pixels) and colour.
func (c *canvas) font(px float64, col drawing.Color, bold bool) {
	f := c.regular
	if bold {
		f = c.bold
	}
	c.r.SetFont(f)
	c.r.SetFontSize(px * 72 / drawing.DefaultDPI)
	c.r.SetFontColor(col)
}

// measure is the width of s in pixels.
func (c *canvas) measure(s string, px float64, bold bool) int {
	k := measured{s, px, bold}
	if w, ok := c.widths[k]; ok {
		return w
	}
	defer c.r.ResetStyle()
	c.font(px, ink, bold)
	w := c.r.MeasureText(glyphs(s)).Width()
	if c.widths == nil {
		c.widths = map[measured]int{}
	}
	c.widths[k] = w
	return w
}

// Text anchors.
const (
	left = iota
	center
	right
)

// text writes s with its baseline at y, anchored at x.
func (c *canvas) text(s string, x, y int, px float64, col drawing.Color, bold bool, anchor int) {
	s = glyphs(s)
	defer c.r.ResetStyle()
	c.font(px, col, bold)
	switch anchor {
	case center:
		x -= c.measure(s, px, bold) / 2
	case right:
		x -= c.measure(s, px, bold)
	}
	c.font(px, col, bold) // measure reset the style
	c.r.Text(s, x, y)
}

// haloText writes s over a background-coloured outline, so it reads over
// lines and grid.
func (c *canvas) haloText(s string, x, y int, px float64, col drawing.Color, bold bool, anchor int) {
	w := c.measure(s, px, bold)
	switch anchor {
	case center:
		x -= w / 2
	case right:
		x -= w
	}
	c.rect(x-3, y-int(px*0.8), x+w+3, y+int(px*0.25), background.WithAlpha(220))
	c.text(s, x, y, px, col, bold, left)
}

// rect fills a rectangle.
func (c *canvas) rect(x1, y1, x2, y2 int, col drawing.Color) {
	defer c.r.ResetStyle()
	c.r.SetFillColor(col)
	c.r.MoveTo(x1, y1)
	c.r.LineTo(x2, y1)
	c.r.LineTo(x2, y2)
	c.r.LineTo(x1, y2)
	c.r.Close()
	c.r.Fill()
}

// line strokes a polyline; dash nil for a solid one.
func (c *canvas) line(pts []image.Point, col drawing.Color, width float64, dash []float64) {
	if len(pts) < 2 {
		return
	}
	defer c.r.ResetStyle()
	c.r.SetStrokeColor(col)
	c.r.SetStrokeWidth(width)
	if dash != nil {
		c.r.SetStrokeDashArray(dash)
	}
	c.r.MoveTo(pts[0].X, pts[0].Y)
	for _, p := range pts[1:] {
		c.r.LineTo(p.X, p.Y)
	}
	c.r.Stroke()
}

// dots draws filled circles, with a ring of the background round them
// when ring is set (it sets a dot off the line; dense lines go without).
func (c *canvas) dots(pts []image.Point, radius float64, col drawing.Color, ring bool) {
	if len(pts) == 0 {
		return
	}
	defer c.r.ResetStyle()
	c.r.SetFillColor(col)
	for _, p := range pts {
		c.r.Circle(radius, p.X, p.Y)
	}
	if !ring {
		c.r.Fill()
		return
	}
	c.r.SetStrokeColor(background)
	c.r.SetStrokeWidth(1.5)
	c.r.FillStroke()
}

// png encodes the canvas.
func (c *canvas) png() ([]byte, error) {
	var img rgbaOf
	if err := c.r.Save(&img); err != nil {
		return nil, err
	}
	return encodePNG(img.i)
}

// rgbaOf receives the renderer's image (chartdraw.RGBACollector).
type rgbaOf struct{ i *image.RGBA }

func (r *rgbaOf) SetRGBA(i *image.RGBA) { r.i = i }
func (r *rgbaOf) Write(p []byte) (int, error) {
	return len(p), nil // unused: Save hands collectors the image instead
}

// glyphs replaces the characters the chart fonts lack: French no-break
// spaces become plain ones (a chart line never wraps).
func glyphs(s string) string {
	if !strings.ContainsAny(s, "\u00a0\u202f") {
		return s
	}
	return strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(s)
}

// contrast is the WCAG contrast ratio of two colours.
func contrast(a, b drawing.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(c drawing.Color) float64 {
	ch := func(v uint8) float64 {
		f := float64(v) / 255
		if f <= 0.03928 {
			return f / 12.92
		}
		return math.Pow((f+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(c.R) + 0.7152*ch(c.G) + 0.0722*ch(c.B)
}

// darker scales a colour towards black, for outlines of pale colours.
func darker(c drawing.Color, f float64) drawing.Color {
	return drawing.Color{R: uint8(float64(c.R) * f), G: uint8(float64(c.G) * f), B: uint8(float64(c.B) * f), A: c.A}
}

// verticalText writes s turned a quarter left, centred on (x, y).
func (c *canvas) verticalText(s string, x, y int, px float64, col drawing.Color) {
	w := c.measure(s, px, false)
	defer c.r.ResetStyle()
	c.font(px, col, false)
	c.r.SetTextRotation(-math.Pi / 2)
	c.r.Text(glyphs(s), x, y+w/2)
	c.r.ClearTextRotation()
}

// paragraph writes s from baseline y within width pixels: at px, or a
// little smaller, else wrapped onto a second line (a third at most). It
// returns the baseline of its last line.
func (c *canvas) paragraph(s string, x, y, width int, px float64, col drawing.Color, bold bool) int {
	if s == "" {
		return y - int(px) - 8
	}
	for size := px; size >= px*0.85; size-- {
		if c.measure(s, size, bold) <= width {
			c.text(s, x, y, size, col, bold, left)
			return y
		}
	}
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		try := strings.TrimSpace(line + " " + w)
		if line != "" && c.measure(try, px, bold) > width {
			lines = append(lines, line)
			line = w
			continue
		}
		line = try
	}
	lines = append(lines, line)
	if len(lines) > 3 {
		lines = append(lines[:2], strings.Join(lines[2:], " "))
	}
	for i, l := range lines {
		if i > 0 {
			y += int(px) + 6
		}
		c.text(l, x, y, px, col, bold, left)
	}
	return y
}
