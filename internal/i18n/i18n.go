// Package i18n holds every sentence the bot says, in English and French, as
// message catalogs (locales/*.en.toml, locales/*.fr.toml) read through
// go-i18n, with CLDR plural rules ("1 tirage", "0 tirage", "2 tirages"),
// and formats numbers and dates the way each language writes them
// ("2,850" and "Jun 25, 2026"; "2 850" and "25 juin 2026").
package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed locales
var files embed.FS

// Lang is a language the bot answers in.
type Lang string

// The languages the bot speaks.
const (
	EN Lang = "en"
	FR Lang = "fr"
)

// Parse reads a language from a locale ("fr", "fr-CA", "fr_CA.UTF-8");
// anything that is not French is English. ok is false for "".
func Parse(s string) (Lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return EN, false
	}
	if strings.HasPrefix(s, "fr") {
		return FR, true
	}
	return EN, true
}

// Catalog is the bot's messages in every language.
type Catalog struct {
	ids  map[Lang]map[string]bool
	locs map[Lang]*goi18n.Localizer
	msgs map[Lang]map[string]*fastMsg // T's fast path (fast.go)
}

// Load reads the embedded catalogs.
func Load() (*Catalog, error) {
	b := goi18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	c := &Catalog{ids: map[Lang]map[string]bool{EN: {}, FR: {}}, locs: map[Lang]*goi18n.Localizer{},
		msgs: map[Lang]map[string]*fastMsg{EN: {}, FR: {}}}
	slow := map[Lang]map[string]bool{EN: {}, FR: {}}
	err := fs.WalkDir(files, "locales", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		mf, err := b.LoadMessageFileFS(files, path)
		if err != nil {
			return fmt.Errorf("i18n: %s: %w", path, err)
		}
		lang, _ := Parse(mf.Tag.String())
		for _, m := range mf.Messages {
			c.ids[lang][m.ID] = true
			if f, ok := compile(m, lang); ok {
				c.msgs[lang][m.ID] = f
			} else {
				slow[lang][m.ID] = true
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// go-i18n says a message French lacks in English, by English rules.
	for id, m := range c.msgs[EN] {
		if !c.ids[FR][id] {
			c.msgs[FR][id] = m
		}
	}
	for l := range slow {
		for id := range slow[l] {
			delete(c.msgs[l], id) // a later file's message replaced it
		}
	}
	for _, l := range []Lang{EN, FR} {
		c.locs[l] = goi18n.NewLocalizer(b, string(l))
	}
	return c, nil
}

// IDs lists the message IDs of one language, for the test that both
// languages hold every message.
func (c *Catalog) IDs(l Lang) map[string]bool { return c.ids[l] }

// Printer writes in one language.
func (c *Catalog) Printer(l Lang) Printer {
	if l != FR {
		l = EN
	}
	return Printer{lang: l, loc: c.locs[l], msgs: c.msgs[l]}
}

// Printer formats messages, numbers and dates in one language.
type Printer struct {
	lang Lang
	loc  *goi18n.Localizer
	msgs map[string]*fastMsg
}

// Lang is the printer's language.
func (p Printer) Lang() Lang { return p.lang }

// T is message id with its template data given as name, value pairs; a
// "Count" value also picks the plural form. A missing message shows as its
// id in brackets (and fails the catalog test).
func (p Printer) T(id string, kv ...any) string {
	if s, ok := p.fast(id, kv); ok {
		return s
	}
	return p.slowT(id, kv...)
}

// slowT is T through go-i18n.
func (p Printer) slowT(id string, kv ...any) string {
	data := map[string]any{}
	var count any
	for i := 0; i+1 < len(kv); i += 2 {
		k, _ := kv[i].(string)
		data[k] = kv[i+1]
		if k == "Count" {
			count = kv[i+1]
		}
	}
	if p.loc == nil {
		return "[" + id + "]"
	}
	s, err := p.loc.Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count})
	if err != nil && s == "" {
		return "[" + id + "]"
	}
	return s
}

// Num writes a whole number with the language's thousands separator:
// "4,000", or "4 000" with a no-break space.
func (p Printer) Num(n int) string {
	sep := ","
	if p.lang == FR {
		sep = "\u00a0"
	}
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteString("-")
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Change writes a change in CRS or candidates: "▲8", "▼6", "=" .
func (p Printer) Change(n int) string {
	switch {
	case n > 0:
		return "▲" + p.Num(n)
	case n < 0:
		return "▼" + p.Num(-n)
	}
	return "="
}

var monthsFR = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}

// Date writes an ISO date as people read it: "Jun 25, 2026" or "25 juin
// 2026". Text that is not a date is returned as it is.
func (p Printer) Date(iso string) string {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	if p.lang == FR {
		return frDay(t) + nbsp + monthsFR[t.Month()-1] + nbsp + strconv.Itoa(t.Year())
	}
	return t.Format("Jan 2, 2006")
}

// nbsp keeps a French date on one line, as French typography does.
const nbsp = "\u00a0"

func frDay(t time.Time) string {
	if t.Day() == 1 {
		return "1er"
	}
	return strconv.Itoa(t.Day())
}

// MediumDate writes a date with its year for a narrow table column: "Jun
// 25, 2026", "25 juin 2026" with French months abbreviated ("20 févr.
// 2026").
func (p Printer) MediumDate(iso string) string {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil || p.lang != FR {
		return p.Date(iso)
	}
	return strconv.Itoa(t.Day()) + nbsp + monthsShortFR[t.Month()-1] + nbsp + strconv.Itoa(t.Year())
}

// Month writes a month: "March 2026", "mars 2026".
func (p Printer) Month(t time.Time) string {
	if p.lang == FR {
		return monthsFR[t.Month()-1] + nbsp + strconv.Itoa(t.Year())
	}
	return t.Format("January 2006")
}

// Time writes a moment in UTC: "May 21, 2026 12:14:09 UTC", "21 mai 2026 à
// 12:14:09 UTC".
func (p Printer) Time(t time.Time) string {
	t = t.UTC()
	d := p.Date(t.Format(time.DateOnly))
	if p.lang == FR {
		return d + " à " + t.Format("15:04:05") + " UTC"
	}
	return d + " " + t.Format("15:04:05") + " UTC"
}

var weekdaysFR = [...]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}

// Weekday names a day of the week.
func (p Printer) Weekday(d time.Weekday) string {
	if p.lang == FR {
		return weekdaysFR[d]
	}
	return d.String()
}

var monthsShortFR = [...]string{"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."}

// ShortDate writes an ISO date without its year, for tables whose dates
// share one: "Jun 25", "25 juin".
func (p Printer) ShortDate(iso string) string {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	if p.lang == FR {
		return strconv.Itoa(t.Day()) + nbsp + monthsShortFR[t.Month()-1]
	}
	return t.Format("Jan 2")
}
