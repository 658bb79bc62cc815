package telegram

import (
	"context"
	"strings"
	"testing"

	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/commands/commandstest"
)

// The crs answers fit one phone screen in both languages, like the
// answers of TestPhoneFit: a full profile, test scores, a single person
// who named a spouse, and an error.
func TestPhoneFitCRS(t *testing.T) {
	eng := commandstest.New(t)
	asks := []struct{ name, line string }{
		{"crs-line", "/crs age=29 education=bachelor english=9 french=7 canada=2 foreign=3 certificate=no study=1-2 sibling=yes pnp=no spouse=yes spouse_education=secondary spouse_language=5 spouse_canada=1"},
		{"crs-max", "/crs age=42 education=phd english=10 french=10 canada=5 foreign=3 certificate=yes pnp=yes sibling=yes study=3+ spouse=yes spouse_education=phd spouse_language=10 spouse_canada=5"},
		{"crs-tests", "/crs age=33 education=bachelor english=ielts:8,7,7,6.5 french=tef:546,503,472,456"},
		{"crs-single", "/crs age=35 education=master english=L9,R8,W8,S7 canada=1 spouse=no spouse_language=9"},
		{"crs-error", "/crs age=29 education=college english=9"},
	}
	for _, lang := range []string{"en", "fr"} {
		words := eng.Words(lang)
		// The longest question: the age, with 21 buttons.
		c := commands.Caller{Locale: lang, Platform: "telegram", UserID: "phone-" + lang, Destination: "1"}
		eng.Ask(context.Background(), "/crs restart", c)
		r := eng.Ask(context.Background(), map[string]string{"en": "no", "fr": "non"}[lang], c)
		if px, _, _ := phoneHeight(renderHTML(r, words), keyRows(r, words)); px > phoneScreen || !strings.Contains(r.Summary, "2") {
			t.Errorf("age question %s: %.0f px: %s", lang, px, r.Title)
		} else {
			t.Logf("age question %s: %.0f px", lang, px)
		}
		for _, a := range asks {
			r := eng.Ask(context.Background(), a.line, commands.Caller{Locale: lang})
			h := renderHTML(r, words)
			px, lines, widest := phoneHeight(h, keyRows(r, words))
			t.Logf("%-10s %s: %2d lines, %4.0f px", a.name, lang, lines, px)
			if widest > TableWidth {
				t.Errorf("%s %s: a table line of %d columns", a.name, lang, widest)
			}
			if px > phoneScreen {
				t.Errorf("%s %s: %.0f px, more than one phone screen:\n%s", a.name, lang, px, h)
			}
		}
	}
}
