package commands_test

import (
	"bytes"
	"context"
	"image/png"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/commands/commandstest"
	"github.com/eebot/eebot/internal/chart"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/reply"
	"github.com/eebot/eebot/internal/store/storetest"
)

func TestChart(t *testing.T) {
	e := commandstest.New(t)
	ctx := context.Background()
	for _, tc := range []struct {
		args, locale string
		status       reply.Status
		want         []string // in the text
		category     string
		height       int
	}{
		{"healthcare", "", reply.StatusOK, []string{"Healthcare cutoffs since Express Entry began: 422 to 510, latest 475 on Jun 25, 2026",
			"15 draws, CRS 422 to 510 (median 470)", "38,350 invitations", "v2 May 2, 2025 · v3 Feb 20, 2026"}, "healthcare", chart.Height},
		{"cec french healthcare 2025", "", reply.StatusOK, []string{"CRS cutoffs in 2025, latest: CEC 515 · French-language 399 · Healthcare 476",
			"CEC: 15 draws", "French-language: 9 draws", "Healthcare: 7 draws"}, "", chart.Height},
		{"cec french healthcare", "", reply.StatusOK, []string{"since Jul 7, 2023"}, "", chart.Height},
		{"", "", reply.StatusOK, []string{"CRS cutoffs in the last 12 months", "PNP is left out", "more categories had draws then"}, "", chart.Height},
		{"pool", "", reply.StatusOK, []string{"226,859 candidates in the pool on Aug 16, 2026", "Largest band: 351-400 with 48,600", "Above 500: 19,096", "Biggest change: 351-400 ▼1,507"}, "", chart.PoolHeight},
		{"santé", "fr", reply.StatusOK, []string{"Santé : seuils depuis le début d’Entrée express de 422 à 510, dernier 475 le 25 juin 2026", "38 350 invitations"}, "healthcare", chart.Height},
		{"stem 2025", "", reply.StatusNotFound, []string{"No STEM draws in 2025"}, "stem", 0},
		{"cec french healthcare stem trades education transport", "", reply.StatusInvalid, []string{"at most 6 categories"}, "", 0},
		{"astrology", "", reply.StatusInvalid, []string{"“astrology” isn't a category I know"}, "", 0},
	} {
		t.Run(tc.args, func(t *testing.T) {
			r := handle(e, ctx, call{Command: "chart", Args: tc.args, Caller: commands.Caller{Locale: tc.locale}})
			got := text(r)
			if r.Status != tc.status {
				t.Fatalf("status %d:\n%s", r.Status, got)
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("lacks %q:\n%s", w, got)
				}
			}
			if r.Category != tc.category {
				t.Errorf("category %q", r.Category)
			}
			if tc.height == 0 {
				if r.Image != nil {
					t.Error("an image without data")
				}
				return
			}
			if r.Image == nil {
				t.Fatal("no image")
			}
			img, err := png.Decode(bytes.NewReader(r.Image.Data))
			if err != nil || img.Bounds().Dx() != chart.Width || img.Bounds().Dy() != tc.height || r.Image.Height != tc.height {
				t.Fatalf("image: %v %v", err, img.Bounds())
			}
			if !strings.HasSuffix(r.Image.Name, ".png") || r.Image.Type != "image/png" || r.Image.Key == "" || !strings.HasPrefix(r.Image.Alt, r.Title) {
				t.Errorf("image %q %q %q alt %q", r.Image.Name, r.Image.Type, r.Image.Key, r.Image.Alt)
			}
		})
	}
}

// TestChartFollowsTheData: a repeat is served from the cache (the same
// bytes); a new draw makes a new chart, whose text states the new draw;
// charts show only stored draws.
func TestChartFollowsTheData(t *testing.T) {
	db := storetest.Store(t)
	e := commands.New(db, commands.WithClock(storetest.Now), commands.WithLogger(slog.New(slog.DiscardHandler)))
	ctx := context.Background()
	first := handle(e, ctx, call{Command: "chart", Args: "healthcare"})
	start := time.Now()
	again := handle(e, ctx, call{Command: "chart", Args: "healthcare"})
	took := time.Since(start)
	if first.Image == nil || again.Image == nil || &first.Image.Data[0] != &again.Image.Data[0] || first.Image.Key != again.Image.Key {
		t.Fatal("the repeat was drawn again")
	}
	t.Logf("repeat served from the cache in %v", took)

	d := domain.Draw{Number: "438", Seq: 438, Date: "2026-08-20", Name: "Healthcare and social services occupations (Version 3)",
		Category: domain.Healthcare, Version: 3, Type: domain.TypeCategory, Size: 2500, CRS: 455, URL: domain.RoundURL("438")}
	if _, err := db.SaveDraws(ctx, []domain.Draw{d}, domain.OriginModerator); err != nil {
		t.Fatal(err)
	}
	after := handle(e, ctx, call{Command: "chart", Args: "healthcare"})
	if after.Image == nil || after.Image.Key == first.Image.Key || bytes.Equal(after.Image.Data, first.Image.Data) {
		t.Fatal("a new draw left the chart as it was")
	}
	if !strings.Contains(after.Title, "latest 455 on Aug 20, 2026") || !strings.Contains(after.Summary, "16 draws") {
		t.Errorf("after a new draw: %q %q", after.Title, after.Summary)
	}
	// Every number the text states is a stored draw's.
	ds, err := db.Draws(ctx, domain.DrawFilter{Category: domain.Healthcare})
	if err != nil {
		t.Fatal(err)
	}
	var crs []int
	for _, d := range ds {
		crs = append(crs, d.CRS)
	}
	if !strings.Contains(after.Title, "422 to 510") || !slices.Contains(crs, 422) || !slices.Contains(crs, 510) {
		t.Errorf("range %q not from the stored draws %v", after.Title, crs)
	}
}

// BenchmarkChart: a chart asked again (the cache) and one asked for the
// first time in its language and data version (a render).
func BenchmarkChart(b *testing.B) {
	e := commandstest.New(b)
	ctx := context.Background()
	handle(e, ctx, call{Command: "chart", Args: "cec french healthcare"})
	b.Run("cached", func(b *testing.B) {
		var took []time.Duration
		for b.Loop() {
			start := time.Now()
			handle(e, ctx, call{Command: "chart", Args: "cec french healthcare"})
			took = append(took, time.Since(start))
		}
		slices.Sort(took)
		b.ReportMetric(float64(took[len(took)/2])/1e6, "median-ms")
	})
}

// FuzzChart: whatever follows the command word, chart answers without
// failing, and a picture it sends is a PNG.
func FuzzChart(f *testing.F) {
	e := commandstest.New(f)
	for _, s := range []string{"", "pool", "pool 2025", "cec cec cec", "since 2099", "2015-01", "healthcare ever", "all", "unmapped",
		"no program specified last year", "french last 1 months", "cutoffs stem", "pool healthcare"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := e.Command(context.Background(), "chart", s, 0, commands.Caller{})
		if r.Status == reply.StatusInternal || r.Title == "" {
			t.Fatalf("chart %q: %+v", s, r)
		}
		if r.Image != nil {
			if _, err := png.Decode(bytes.NewReader(r.Image.Data)); err != nil {
				t.Fatalf("chart %q: %v", s, err)
			}
		}
	})
}
