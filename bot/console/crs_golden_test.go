package console_test

import (
	"context"
	"strings"
	"testing"

	"github.com/eebot/eebot/bot/console"
	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/commands/commandstest"
)

// crsAsks are the crs answers held as golden files, with the facts their
// first line must hold in each language.
var crsAsks = []struct {
	name, line string
	en, fr     []string
}{
	{"crs-line", "crs age=29 education=bachelor english=9 french=7 canada=2 foreign=3 certificate=no study=1-2 sibling=yes pnp=no spouse=yes spouse_education=secondary spouse_language=5 spouse_canada=1",
		[]string{"CRS 577"}, []string{"SCG 577"}},
	{"crs-tests", "/crs age=33 education=bachelor english=ielts:8,7,7,6.5 french=tef:546,503,472,456", []string{"CRS 405"}, []string{"SCG 405"}},
	{"crs-single", "crs age=35 education=master english=L9,R8,W8,S7 canada=1 spouse=no spouse_language=9", []string{"CRS 396"}, []string{"SCG 396"}},
	{"crs-error", "crs age=29 education=college english=9", []string{"education=college"}, []string{"education=college"}},
	{"crs-start", "/crs", []string{"spouse"}, []string{"conjoint"}},
}

// TestGoldenCRS holds the crs answers, like TestGolden.
func TestGoldenCRS(t *testing.T) {
	eng := commandstest.New(t)
	for _, lang := range []string{"en", "fr"} {
		for _, a := range crsAsks {
			r := eng.Ask(context.Background(), a.line, commands.Caller{Locale: lang})
			got := console.Render(r, eng.Words(r.Lang))
			golden(t, a.name+"."+lang, got)
			facts := a.en
			if lang == "fr" {
				facts = a.fr
			}
			first, _, _ := strings.Cut(got, "\n")
			first = strings.ReplaceAll(first, "\u00a0", " ")
			for _, f := range facts {
				if !strings.Contains(first, f) {
					t.Errorf("%s.%s: first line %q lacks %q", a.name, lang, first, f)
				}
			}
		}
	}
}
