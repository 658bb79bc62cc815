package i18n

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// Every message exists in both languages, and each renders without an
// error in both.
func TestCatalogsComplete(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	en, fr := c.IDs(EN), c.IDs(FR)
	if len(en) < 200 {
		t.Errorf("only %d English messages", len(en))
	}
	var missing []string
	for id := range en {
		if !fr[id] {
			missing = append(missing, "fr: "+id)
		}
	}
	for id := range fr {
		if !en[id] {
			missing = append(missing, "en: "+id)
		}
	}
	slices.Sort(missing)
	for _, m := range missing {
		t.Errorf("missing %s", m)
	}
}

func TestFormats(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	en, fr := c.Printer(EN), c.Printer(FR)
	tests := []struct{ got, want string }{
		{en.Num(2850), "2,850"},
		{fr.Num(2850), "2\u00a0850"},
		{en.Num(226859), "226,859"},
		{fr.Num(-1048), "-1\u00a0048"},
		{en.Date("2026-06-25"), "Jun 25, 2026"},
		{fr.Date("2026-06-25"), "25\u00a0juin\u00a02026"},
		{fr.Date("2026-08-01"), "1er\u00a0août\u00a02026"},
		{en.ShortDate("2026-06-25"), "Jun 25"},
		{fr.ShortDate("2026-02-20"), "20\u00a0févr."},
		{en.Change(8), "▲8"},
		{fr.Change(-2241), "▼2\u00a0241"},
		{en.Time(time.Date(2026, 5, 21, 12, 14, 9, 0, time.UTC)), "May 21, 2026 12:14:09 UTC"},
		{fr.Time(time.Date(2026, 5, 21, 12, 14, 9, 0, time.UTC)), "21\u00a0mai\u00a02026 à 12:14:09 UTC"},
		{fr.Weekday(time.Wednesday), "mercredi"},
		// CLDR plurals: French "one" covers 0 and 1.
		{en.T("draws.count", "N", "1", "Count", 1), "1 draw"},
		{en.T("draws.count", "N", "0", "Count", 0), "0 draws"},
		{fr.T("draws.count", "N", "0", "Count", 0), "0 tirage"},
		{fr.T("draws.count", "N", "2", "Count", 2), "2 tirages"},
		{fr.T("no.such.message"), "[no.such.message]"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	if l, ok := Parse("fr_CA.UTF-8"); l != FR || !ok {
		t.Error("fr_CA.UTF-8 is French")
	}
	if l, ok := Parse(""); l != EN || ok {
		t.Error("empty locale")
	}
	if !strings.Contains(fr.T("footer.feed", "Date", "x"), "données") {
		t.Error("French footer")
	}
}
