package console

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/internal/reply"
)

// Option configures Run and Ask.
type Option func(*config)

type config struct {
	charts string // where pictures are written; "" for the current directory
}

// ChartDir writes the pictures of answers (charts) under dir, made when
// needed; the answer prints each file's path.
func ChartDir(dir string) Option { return func(c *config) { c.charts = dir } }

func options(opts []Option) config {
	var c config
	for _, o := range opts {
		o(&c)
	}
	return c
}

// render writes r as text and its picture, if any, to a file whose path
// the text ends with.
func (c config) render(eng *commands.Engine, r reply.Reply) string {
	w := eng.Words(r.Lang)
	text := Render(r, w)
	if r.Image == nil {
		return text
	}
	path, err := saveImage(c.charts, r.Image)
	if err != nil {
		return text + "  " + w.T("console.chart_failed", "Err", err.Error()) + "\n"
	}
	return text + "  " + w.T("console.chart", "Path", path) + "\n"
}

// saveImage writes img under dir by its name (a chart's name holds its data
// version, so a new draw makes a new file and a repeat rewrites the same).
func saveImage(dir string, img *reply.Image) (string, error) {
	name := filepath.Base(img.Name)
	if name == "." || name == string(filepath.Separator) || strings.HasPrefix(name, ".") {
		return "", fmt.Errorf("console: bad image name %q", img.Name)
	}
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, img.Data, 0o644); err != nil {
		return "", err
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	return path, nil
}
