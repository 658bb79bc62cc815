package console_test

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eebot/eebot/bot/console"
	"github.com/eebot/eebot/commands/commandstest"
)

// TestChartFile: a chart is written under the chart folder and the answer
// ends with its path; a repeat rewrites the same file, a French question
// gets its own.
func TestChartFile(t *testing.T) {
	e := commandstest.New(t)
	dir := filepath.Join(t.TempDir(), "charts")
	var out bytes.Buffer
	if code := console.Ask(context.Background(), e, "graph cec this year", &out, console.ChartDir(dir)); code != 0 {
		t.Fatalf("exit %d:\n%s", code, out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	path, ok := strings.CutPrefix(strings.TrimSpace(lines[len(lines)-1]), "Chart: ")
	if !ok || !strings.HasPrefix(path, dir) || !strings.HasSuffix(path, ".png") {
		t.Fatalf("no chart path:\n%s", out.String())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if img, err := png.Decode(bytes.NewReader(b)); err != nil || img.Bounds().Dx() < 800 {
		t.Fatalf("%s: %v", path, err)
	}
	out.Reset()
	in := strings.NewReader("graph cec this year\ngraphique PEC cette année\n")
	if err := console.Run(context.Background(), e, in, &out, console.ChartDir(dir)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Chart: "+path) || !strings.Contains(out.String(), "Graphique\u00a0: "+dir) {
		t.Errorf("paths:\n%s", out.String())
	}
	files, _ := os.ReadDir(dir)
	if len(files) != 2 {
		t.Errorf("%d files, want one per language", len(files))
	}
}
