package chart

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/store/storetest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.png from the current renderer")

// fixtures are the charts people ask for most, over the embedded data.
func fixtures(t testing.TB) map[string]func() ([]byte, error) {
	db := storetest.Store(t)
	ctx := context.Background()
	words, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	series := func(p i18n.Printer, keys ...domain.Key) []Series {
		var out []Series
		for _, k := range keys {
			ds, err := db.Draws(ctx, domain.DrawFilter{Category: k})
			if err != nil {
				t.Fatal(err)
			}
			var since []domain.Draw
			for _, d := range ds {
				if len(keys) == 1 || d.Date >= "2023-07-07" {
					since = append(since, d)
				}
			}
			out = append(out, Series{Key: k, Name: p.T("cat." + string(k)), Draws: since})
		}
		return out
	}
	snaps, err := db.Distributions(ctx, 2)
	if err != nil || len(snaps) < 2 {
		t.Fatal(err, len(snaps))
	}
	en, fr := words.Printer(i18n.EN), words.Printer(i18n.FR)
	return map[string]func() ([]byte, error){
		"healthcare.en": Cutoffs{Title: "Healthcare: CRS cutoffs since Express Entry began", Subtitle: "15 draws · 38,350 invitations · IRCC, data as of Aug 20, 2026",
			Series: series(en, domain.Healthcare)}.render(en),
		"compare.fr": Cutoffs{Title: "Seuils SCG depuis le 7 juillet 2023", Series: series(fr, domain.CEC, domain.French, domain.Healthcare)}.render(fr),
		"pool.en": Pool{Title: "Pool on Aug 16, 2026: 226,859 candidates", Subtitle: "Beside each band: change since Aug 3, 2026 (tick: where it stood). Lighter: wider bands.",
			Current: *snaps[0].Dist, Previous: snaps[1].Dist}.render(en),
		"pool.fr": Pool{Title: "Bassin au 16 août 2026 : 226 859 candidats", Subtitle: "À côté de chaque tranche : l’écart depuis le 3 août 2026 (trait : niveau d’alors). Plus clair : tranches plus larges.",
			Current: *snaps[0].Dist, Previous: snaps[1].Dist}.render(fr),
	}
}

// TestGolden compares each chart with its golden image loosely: a pixel
// may differ by a little (a font hinting or anti-aliasing change), and a
// few pixels by more; a moved line, a lost label or a new colour fails.
// go test ./internal/chart -run TestGolden -update rewrites the images;
// look at them before committing.
func TestGolden(t *testing.T) {
	t.Parallel()
	for name, render := range fixtures(t) {
		t.Run(name, func(t *testing.T) {
			got, err := render()
			if err != nil {
				t.Fatal(err)
			}
			img := decode(t, got)
			path := filepath.Join("testdata", name+".png")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if off, worst := differ(img, decode(t, want), 40); off > img.Bounds().Dx()*img.Bounds().Dy()/200 {
				t.Errorf("%d pixels differ from %s by more than the tolerance (worst %d); run with -update and look", off, path, worst)
			}
		})
	}
}

// decode checks that b is a PNG of the chart size and returns it.
func decode(t testing.TB, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if img.Bounds().Dx() != Width || img.Bounds().Dy() != Height && img.Bounds().Dy() != PoolHeight {
		t.Fatalf("size %v, want %dx%d or %dx%d", img.Bounds(), Width, Height, Width, PoolHeight)
	}
	return img
}

// differ counts the pixels whose channels differ by more than tol, and the
// largest difference seen.
func differ(a, b image.Image, tol int) (off, worst int) {
	ra, rb := rgba(a), rgba(b)
	for i := 0; i+3 < len(ra.Pix) && i+3 < len(rb.Pix); i += 4 {
		d := 0
		for c := range 3 {
			d = max(d, absDiff(uint32(ra.Pix[i+c]), uint32(rb.Pix[i+c])))
		}
		worst = max(worst, d)
		if d > tol {
			off++
		}
	}
	return off, worst
}

// rgba is img as *image.RGBA (what the PNGs decode to), converted if not.
func rgba(img image.Image) *image.RGBA {
	if r, ok := img.(*image.RGBA); ok {
		return r
	}
	r := image.NewRGBA(img.Bounds())
	draw.Draw(r, r.Bounds(), img, img.Bounds().Min, draw.Src)
	return r
}

func absDiff(a, b uint32) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

// series is a synthetic line: n draws a fortnight apart from 2025-01-08.
func series(key domain.Key, n int) Series {
	s := Series{Key: key, Name: string(key)}
	t := time.Date(2025, 1, 8, 0, 0, 0, 0, time.UTC)
	for i := range n {
		v := 1
		if i >= n/2 {
			v = 2
		}
		s.Draws = append(s.Draws, domain.Draw{Number: fmt.Sprint(300 + i), Date: t.Format(time.DateOnly), CRS: 470 + (i*7)%30, Size: 2000 + 100*i, Version: v})
		t = t.AddDate(0, 0, 14)
	}
	return s
}

// TestNewDrawMovesTheLastPoint: a chart follows its data; a new draw makes
// another picture, another version, and changes pixels where the line ends.
func TestNewDrawMovesTheLastPoint(t *testing.T) {
	t.Parallel()
	p := printer(t, i18n.EN)
	before := Cutoffs{Title: "Healthcare", Subtitle: "x", Series: []Series{series(domain.Healthcare, 12)}}
	after := before
	s := series(domain.Healthcare, 12)
	s.Draws = append(s.Draws, domain.Draw{Number: "999", Date: "2025-07-02", CRS: 430, Size: 3000, Version: 2})
	after.Series = []Series{s}
	a, err := before.Render(p)
	if err != nil {
		t.Fatal(err)
	}
	b, err := after.Render(p)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a, b) || before.Version(p) == after.Version(p) {
		t.Fatal("a new draw left the chart as it was")
	}
	if off, _ := differ(decode(t, a), decode(t, b), 40); off < 200 {
		t.Errorf("only %d pixels changed", off)
	}
	again, _ := before.Render(p)
	if v1, v2 := before.Version(p), before.Version(p); !bytes.Equal(a, again) || v1 != v2 {
		t.Error("the same data drew another picture")
	}
	if before.Version(p) == before.Version(printer(t, i18n.FR)) {
		t.Error("the version does not depend on the language")
	}
}

func TestNoData(t *testing.T) {
	p := printer(t, i18n.EN)
	if _, err := (Cutoffs{Series: []Series{{Key: domain.STEM}}}).Render(p); err != ErrNoData {
		t.Errorf("empty cutoffs: %v", err)
	}
	if _, err := (Cutoffs{Series: []Series{{Key: domain.STEM, Draws: []domain.Draw{{Date: "soon", CRS: 480}}}}}).Render(p); err != ErrNoData {
		t.Errorf("a draw without a date was drawn: %v", err)
	}
	if _, err := (Pool{}).Render(p); err != ErrNoData {
		t.Errorf("empty pool: %v", err)
	}
}

// TestShapes: one draw, draws on one day, every category at once, many
// draws, a year-long gap: each renders a decodable chart.
func TestShapes(t *testing.T) {
	t.Parallel()
	p := printer(t, i18n.FR)
	one := Series{Key: domain.Trades, Name: "Métiers", Draws: []domain.Draw{{Date: "2026-04-02", CRS: 477, Size: 3000}}}
	gap := series(domain.Transport, 6)
	gap.Draws = append(gap.Draws, domain.Draw{Date: "2027-01-05", CRS: 440, Size: 500, Version: 2})
	var every []Series
	for _, k := range append(domain.CategoryKeys(), domain.ProgramKeys()...) {
		every = append(every, series(k, 5))
	}
	for name, c := range map[string]Cutoffs{
		"one":   {Title: "Un tirage", Subtitle: "x", Series: []Series{one}},
		"same":  {Title: "Le même jour", Series: []Series{one, {Key: domain.STEM, Name: "STIM", Draws: one.Draws}}},
		"every": {Title: "Toutes", Series: every},
		"many":  {Title: "Beaucoup", Series: []Series{series(domain.CEC, 400)}},
		"gap":   {Title: "Un trou", Series: []Series{gap}},
	} {
		b, err := c.Render(p)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		decode(t, b)
	}
}

// TestGlyphs: every character the charts write in either language is in
// the embedded fonts (no missing-glyph boxes for é, û, ’ or «).
func TestGlyphs(t *testing.T) {
	cv := newCanvas(Width, Height)
	var text strings.Builder
	for _, l := range []i18n.Lang{i18n.EN, i18n.FR} {
		p := printer(t, l)
		for _, id := range []string{"chart.axis.crs", "chart.axis.invitations", "chart.title.one", "chart.subtitle", "chart.pool.title", "chart.pool.subtitle"} {
			text.WriteString(p.T(id, "Cat", "Éducation", "Period", "depuis le 1er août 2026", "Date", p.Date("2026-08-20"), "Total", p.Num(226859), "Draws", "15", "Invitations", "4 000"))
		}
		for m := 1; m <= 12; m++ {
			text.WriteString(p.MonthShort(time.Date(2026, time.Month(m), 1, 0, 0, 0, 0, time.UTC)))
		}
		for _, k := range append(domain.CategoryKeys(), domain.ProgramKeys()...) {
			text.WriteString(p.T("cat." + string(k)))
		}
	}
	text.WriteString("–-+0123456789")
	for _, f := range []struct {
		name string
		idx  func(rune) bool
	}{{"regular", func(r rune) bool { return cv.regular.Index(r) != 0 }}, {"bold", func(r rune) bool { return cv.bold.Index(r) != 0 }}} {
		for _, r := range glyphs(text.String()) {
			if r != ' ' && !f.idx(r) {
				t.Errorf("the %s font has no glyph for %q", f.name, r)
			}
		}
	}
}

func TestCache(t *testing.T) {
	c := NewCache(2)
	renders := 0
	render := func(s string) func() ([]byte, error) {
		return func() ([]byte, error) { renders++; return []byte(s), nil }
	}
	get := func(name, version string) ([]byte, bool) {
		b, hit, err := c.Get(name, version, render(name+version))
		if err != nil {
			t.Fatal(err)
		}
		return b, hit
	}
	if _, hit := get("a", "1"); hit || renders != 1 {
		t.Fatal("first get was a hit")
	}
	if b, hit := get("a", "1"); !hit || renders != 1 || string(b) != "a1" {
		t.Fatal("repeat was rendered again")
	}
	if b, hit := get("a", "2"); hit || string(b) != "a2" || c.Len() != 1 {
		t.Fatal("a new version was served from the cache, or the old one kept")
	}
	get("b", "1")
	get("c", "1")
	if c.Len() != 2 {
		t.Fatalf("cache holds %d, max 2", c.Len())
	}
	if _, hit := get("a", "2"); hit {
		t.Error("the least recently used chart was kept")
	}
	if _, _, err := c.Get("x", "1", func() ([]byte, error) { return nil, ErrNoData }); err != ErrNoData {
		t.Error(err)
	}
	if _, hit, _ := c.Get("x", "1", render("x")); hit {
		t.Error("a failed render was cached")
	}
}

// TestConcurrent renders and caches from many goroutines (run with -race:
// the fonts and the cache are shared).
func TestConcurrent(t *testing.T) {
	t.Parallel()
	c := NewCache(8)
	p := printer(t, i18n.FR)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			ch := Cutoffs{Title: "T", Subtitle: "s", Series: []Series{series(domain.Healthcare, 5+i%3)}}
			b, _, err := c.Get(fmt.Sprint(i%3), ch.Version(p), func() ([]byte, error) { return ch.Render(p) })
			if err != nil {
				t.Error(err)
				return
			}
			if _, err := png.Decode(bytes.NewReader(b)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}

func printer(t testing.TB, l i18n.Lang) i18n.Printer {
	words, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return words.Printer(l)
}

func (c Cutoffs) render(p i18n.Printer) func() ([]byte, error) {
	return func() ([]byte, error) { return c.Render(p) }
}

func (c Pool) render(p i18n.Printer) func() ([]byte, error) {
	return func() ([]byte, error) { return c.Render(p) }
}
