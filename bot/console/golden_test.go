package console_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eebot/eebot/bot/console"
	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/commands/commandstest"
	"github.com/eebot/eebot/internal/domain"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the current answers")

// goldenAsks are the questions people ask most, with the facts the first
// line must hold in each language (none for answers without one key fact).
var goldenAsks = []struct {
	name, line string
	en, fr     []string
}{
	{"cutoff", "cutoff healthcare", []string{"Healthcare", "CRS 475", "4,000 invitations", "Jun 25, 2026"}, []string{"Santé", "SCG 475", "4 000 invitations", "25 juin 2026"}},
	{"cutoff-latest", "cutoff", []string{"CRS 382", "5,000", "Aug 19, 2026"}, []string{"SCG 382", "5 000", "19 août 2026"}},
	{"eligible-no", "eligible 33109", []string{"❌", "NOC 33109", "not on a current category list"}, []string{"❌", "CNP 33109", "aucune liste"}},
	{"eligible-yes", "eligible 31301", []string{"✅", "NOC 31301", "Healthcare"}, []string{"✅", "CNP 31301", "Santé"}},
	{"eligible-teer5", "eligible 65200", []string{"❌", "NOC 65200"}, []string{"❌", "CNP 65200"}},
	{"draws", "draws", []string{"10", "CRS 382", "Aug 19, 2026"}, []string{"10", "SCG 382", "19 août 2026"}},
	{"history", "history healthcare", []string{"15 healthcare draws", "CRS 475"}, []string{"15", "SCG 475"}},
	{"match", "match 470 healthcare", []string{"470", "4 of the last 10 healthcare draws"}, []string{"470", "4 des 10"}},
	{"match-open", "match 470", []string{"470", "0 of the last 10"}, []string{"470", "0 des 10"}},
	{"next", "next healthcare", []string{"56 days ago", "not announced"}, []string{"56 jours", "pas annoncé"}},
	{"stats", "stats cec 2024", []string{"10 draws", "26,500 invitations"}, []string{"10 tirages", "26 500 invitations"}},
	{"pool", "pool", []string{"226,859 candidates", "Aug 16, 2026"}, []string{"226 859 candidats", "16 août 2026"}},
	{"pool-range", "pool 475", []string{"above 475", "45,077", "61,703"}, []string{"475", "45 077", "61 703"}},
	{"noc", "noc nurse", []string{"nurse", "313"}, []string{"nurse", "313"}},
	{"categories", "categories", []string{"10 categories"}, []string{"10 catégories"}},
	{"oinp", "oinp 3", []string{"Feb 2, 2026"}, []string{"2 février 2026"}},
	{"about", "about", nil, nil},
	{"help", "help", nil, nil},
	{"start", "start", nil, nil},
	{"error-noc", "eligible 99999", []string{"99999"}, []string{"99999"}},
	{"error-category", "cutoff astrology", []string{"astrology"}, []string{"astrology"}},
	// A question is answered in its own language, whatever the caller's locale.
	{"question-en", "what was the last healthcare cutoff?", []string{"CRS 475"}, []string{"CRS 475"}},
	{"question-fr", "quel est le dernier seuil en santé ?", []string{"SCG 475"}, []string{"SCG 475"}},
	{"clarify", "healthcare 2025", nil, nil},
	{"decline", "what is the weather", nil, nil},
}

// TestGolden holds the exact text of each common answer in English and
// French, as the console prints it, and checks that its first line holds
// the answer's key facts. go test ./bot/console -run TestGolden -update
// rewrites the files after a deliberate change; review the diff.
func TestGolden(t *testing.T) {
	eng := commandstest.New(t)
	ctx := context.Background()
	for _, lang := range []string{"en", "fr"} {
		for _, a := range goldenAsks {
			r := eng.Ask(ctx, a.line, commands.Caller{Locale: lang})
			got := console.Render(r, eng.Words(r.Lang))
			name := a.name + "." + lang
			golden(t, name, got)
			facts := a.en
			if lang == "fr" {
				facts = a.fr
			}
			first, _, _ := strings.Cut(got, "\n")
			first = strings.ReplaceAll(first, "\u00a0", " ") // French no-break spaces read as spaces
			for _, f := range facts {
				if !strings.Contains(first, f) {
					t.Errorf("%s: first line %q lacks %q", name, first, f)
				}
			}
		}
	}
	// The new-draw post and a correction, in both languages.
	for _, lang := range []string{"en", "fr"} {
		for _, d := range []domain.Delivery{
			{Number: "422", Kind: domain.PostNew, Lang: lang},
			{Number: "422", Kind: domain.PostCorrection, Lang: lang, Before: "crs=471;size=3500"},
		} {
			r, err := eng.RenderPost(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "post-"+string(d.Kind)+"."+lang, console.Render(r, eng.Words(r.Lang)))
		}
	}
}

// golden compares text with testdata/golden/name.txt, or writes it there
// under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".txt")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s: %v (run with -update to create it)", name, err)
	}
	if got != string(want) {
		t.Errorf("%s differs from %s:\n--- got\n%s\n--- want\n%s", name, path, got, want)
	}
}
