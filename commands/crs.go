package commands

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/eebot/eebot/internal/crs"
	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/reply"
)

// crsRules are IRCC's CRS criteria and language charts, read once from the
// embedded data/crs files (a lookup table, like the other embedded data).
var crsRules = sync.OnceValue(crs.Default)

const (
	crsToolURL = "https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/check-score.html"
	crsGains   = 2 // the changes shown, largest first
)

// crs estimates a CRS score. A one-line profile ("age=29 education=…")
// is scored at once; an empty one starts the guided questions.
func (e *Engine) crs(ctx context.Context, r Request) (reply.Reply, error) {
	text := strings.TrimSpace(r.Options.Text("profile"))
	if len(text) > maxForm {
		return reply.Reply{}, invalid(r.p.T("crs.err.too_long"), r.p.T("usage.crs"))
	}
	if rep, ok, err := e.crsGuided(ctx, r, text); ok || err != nil {
		return rep, err
	}
	today := e.now().UTC().Format("2006-01-02")
	line, err := crsRules().ParseLine(text, today)
	if err != nil {
		return reply.Reply{}, crsLineError(r.p, err)
	}
	return e.crsAnswer(ctx, r.p, line, today)
}

// crsAnswer scores a profile and words the breakdown: the total first,
// then each section with its caps, what would raise it most, how it
// compares with recent draws, and that it is an estimate.
func (e *Engine) crsAnswer(ctx context.Context, p i18n.Printer, line crs.Line, today string) (reply.Reply, error) {
	set := crsRules()
	rules, ok := set.At(today)
	if !ok {
		return reply.Reply{}, invalid(p.T("crs.err.no_rules"))
	}
	b := rules.Score(line.Profile)
	asOf, err := e.asOf(ctx)
	if err != nil {
		return reply.Reply{}, err
	}
	rep := reply.Reply{
		Title:   p.T("crs.title", "Total", p.Num(b.Total)),
		URL:     crsToolURL,
		Private: true,
		Note:    p.T("crs.note"),
		Footer:  p.T("crs.footer", "Rules", p.Date(rules.Effective), "Date", p.Date(asOf)),
		Source:  "IRCC CRS criteria",
		AsOf:    asOf,
		Links:   []reply.Link{{Label: p.T("crs.link.tool"), URL: crsToolURL}},
	}
	rep.Summary, err = e.crsCompare(ctx, p, b.Total)
	if err != nil {
		return reply.Reply{}, err
	}
	rep.Fields = crsFields(p, b)
	if len(line.Ignored) > 0 {
		rep.Lines = append(rep.Lines, p.T("crs.single", "Keys", strings.Join(line.Ignored, ", ")))
	}
	for _, k := range []string{"english", "french", "spouse_language"} {
		if test, ok := line.Tests[k]; ok {
			rep.Lines = append(rep.Lines, crsConverted(p, set, test, crsResultOf(line.Profile, k)))
		}
	}
	for _, g := range rules.Gains(line.Profile, crsGains) {
		rep.Lines = append(rep.Lines, crsGain(p, g))
	}
	return rep, nil
}

// crsCompare is match's comparison of a total with recent draws, in its
// own words (the draws open to most candidates).
func (e *Engine) crsCompare(ctx context.Context, p i18n.Printer, total int) (string, error) {
	spec := e.specs["match"]
	var in Options
	in.Set("score", IntValue(min(total, maxCRS)))
	o, err := spec.check(in, p)
	if err != nil {
		return "", err
	}
	m, err := e.match(ctx, Request{Command: spec.Key(), Options: o, p: p})
	if err != nil {
		return "", err
	}
	if m.Status == reply.StatusNotFound {
		return p.T("crs.match.none"), nil
	}
	return m.Title, nil
}

// crsFields are the four sections, each with its points, its cap and its
// non-zero items (capped ones marked).
func crsFields(p i18n.Printer, b crs.Breakdown) []reply.Field {
	item := func(name string, it crs.Item) string {
		if it.Raw > it.Points {
			return p.T("crs.item.capped", "Name", name, "Points", p.Num(it.Points))
		}
		return p.T("crs.item", "Name", name, "Points", p.Num(it.Points))
	}
	lang := func(l crs.Lang) string { return p.T("crs.factor." + string(l)) }
	field := func(key string, s crs.Section, parts []string) reply.Field {
		v := strings.Join(parts, ", ")
		if v == "" {
			v = p.T("crs.item.none")
		}
		name := p.T("crs.section."+key, "Points", p.Num(s.Points), "Max", p.Num(s.Max))
		if s.Capped() {
			name += " " + p.T("crs.capped")
		}
		return reply.Field{Name: name, Value: v}
	}
	var core []string
	for _, g := range b.Core.Groups {
		for _, it := range g.Items {
			if it.Points == 0 {
				continue
			}
			name := p.T("crs.factor." + string(it.Factor))
			switch it.Factor {
			case crs.FirstLanguage:
				name = lang(b.First)
			case crs.SecondLanguage:
				second := crs.French
				if b.First == crs.French {
					second = crs.English
				}
				name = lang(second)
			}
			core = append(core, item(name, it))
		}
	}
	out := []reply.Field{field("core", b.Core, core)}
	if b.Spouse {
		var sp []string
		for _, g := range b.SpouseFactors.Groups {
			for _, it := range g.Items {
				if it.Points > 0 {
					sp = append(sp, item(p.T("crs.factor."+string(it.Factor)), it))
				}
			}
		}
		out = append(out, field("spouse", b.SpouseFactors, sp))
	}
	var tr []string
	for _, g := range b.Transferability.Groups {
		if g.Points > 0 {
			tr = append(tr, item(p.T("crs.group."+g.Name), crs.Item{Points: g.Points, Raw: g.Raw}))
		}
	}
	out = append(out, field("transferability", b.Transferability, tr))
	var add []string
	for _, g := range b.Additional.Groups {
		for _, it := range g.Items {
			if it.Points == 0 {
				continue
			}
			key := string(it.Factor)
			if it.Factor == crs.FrenchOK {
				key = "french_points"
			}
			add = append(add, item(p.T("crs.factor."+key), it))
		}
	}
	return append(out, field("additional", b.Additional, add))
}

// crsGain words one change: "English CLB 9 in all four abilities: +82
// (the core +32, skill transferability +50)".
func crsGain(p i18n.Printer, g crs.Gain) string {
	sections := []struct {
		key    string
		points int
	}{{"core", g.Core}, {"spouse", g.Spouse}, {"transferability", g.Transferability}, {"additional", g.Additional}}
	var parts []string
	via := ""
	for _, s := range sections {
		if s.points != 0 {
			parts = append(parts, p.T("crs.gain.part", "Section", p.T("crs.via."+s.key), "Points", p.Num(s.points)))
			via = s.key
		}
	}
	gain := p.T("crs.gain.split", "Points", p.Num(g.Points), "Parts", strings.Join(parts, ", "))
	if len(parts) == 1 {
		gain = p.T("crs.gain.via", "Points", p.Num(g.Points), "Section", p.T("crs.via."+via))
	}
	switch g.Change {
	case crs.RaiseFirst, crs.RaiseSecond:
		return p.T("crs.gain."+string(g.Change), "Lang", crsLangName(p, g.Lang), "Scale", crsScale(g.Lang), "Level", g.Level, "Gain", gain)
	case crs.MoreCanadian, crs.MoreForeign, crs.MoreSpouseCanadian:
		return p.T("crs.gain."+string(g.Change), "Years", g.Years, "Count", g.Years, "Gain", gain)
	case crs.MoreEducation:
		return p.T("crs.gain.education", "Education", p.T("crs.edu."+string(g.Education)), "Gain", gain)
	case crs.RaiseSpouseLanguage:
		return p.T("crs.gain.spouse_language", "Level", g.Level, "Gain", gain)
	}
	return gain
}

// crsLangName is a language's name at the start of a sentence.
func crsLangName(p i18n.Printer, l crs.Lang) string {
	n := p.T("crs.factor." + string(l))
	return strings.ToUpper(n[:1]) + n[1:]
}

// crsScale is the benchmark a language is measured on.
func crsScale(l crs.Lang) string {
	if l == crs.French {
		return "NCLC"
	}
	return "CLB"
}

// crsConverted says what a test's scores gave: "IELTS → CLB L10 R10 W10
// S9".
func crsConverted(p i18n.Printer, set *crs.Set, test string, r crs.Result) string {
	name, lang := strings.ToUpper(test), crs.English
	for _, t := range set.Tests() {
		if t.Test == test {
			lang = t.Language
		}
	}
	levels := fmt.Sprintf("L%d R%d W%d S%d", r.Levels[crs.Listening], r.Levels[crs.Reading], r.Levels[crs.Writing], r.Levels[crs.Speaking])
	return p.T("crs.converted", "Test", name, "Scale", crsScale(lang), "Levels", levels)
}

func crsResultOf(pr crs.Profile, key string) crs.Result {
	switch key {
	case "english":
		return pr.English
	case "french":
		return pr.French
	}
	return pr.SpouseLanguage
}

// crsLineError turns a problem with a one-line profile into what the
// person is told: the key, what it takes, and the usage.
func crsLineError(p i18n.Printer, err error) error {
	le, ok := crs.IsLineError(err)
	if !ok {
		return err
	}
	kv := []any{"Key", clip(le.Key, 30), "Value", clip(le.Value, 40), "Allowed", le.Allowed}
	var msg string
	switch le.Kind {
	case crs.ErrNotKeyValue:
		msg = p.T("crs.err.not_key_value", kv...)
	case crs.ErrUnknownKey:
		msg = p.T("crs.err.unknown_key", kv...)
	case crs.ErrRepeated:
		msg = p.T("crs.err.repeated", kv...)
	case crs.ErrMissing:
		msg = p.T("crs.err.missing", kv...)
		if le.Key == "english" {
			msg = p.T("crs.err.missing_language")
		}
	case crs.ErrTestLanguage:
		msg = p.T("crs.err.test_language", kv...)
	case crs.ErrNoChart:
		msg = p.T("crs.err.no_chart", kv...)
	default:
		return invalid(p.T("crs.err.bad_value", kv...), p.T("crs.err.allowed", kv...), p.T("usage.crs"))
	}
	return invalid(msg, p.T("usage.crs"))
}
