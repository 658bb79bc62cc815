package commands

import (
	"context"
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/reply"
)

const categoryPage = "https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/rounds-invitations/category-based-selection.html"

const listsSource = "Category lists: third-party copies of IRCC's tables, cross-checked; draws: IRCC rounds feed"

// nocQuery strips the words people put around a code: "NOC 33109", "#33109".
func nocQuery(args string) string {
	var keep []string
	for _, w := range strings.Fields(args) {
		w = strings.Trim(w, "#?!.,:;\"'")
		switch strings.ToLower(w) {
		case "", "noc", "cnp", "code", "is", "eligible", "my", "a", "an", "the", "for":
			continue
		}
		keep = append(keep, w)
	}
	return strings.Join(keep, " ")
}

// eligible answers whether an occupation is on a category list now.
func (e *Engine) eligible(ctx context.Context, r Request) (reply.Reply, error) {
	p := r.p
	q := nocQuery(r.Options.Text("noc"))
	if q == "" {
		return reply.Reply{}, invalid(p.T("arg.noc.missing"))
	}
	n, ns, err := e.findNOC(ctx, p, q)
	if err != nil {
		return reply.Reply{}, err
	}
	if n == nil {
		return e.nocList(ctx, p, q, ns)
	}
	return e.eligibleOne(ctx, p, *n)
}

// findNOC resolves a code or title words to one unit group. When several
// titles match it returns nil and the best of them (the caller lists
// them), and an *Error with suggestions when nothing does.
func (e *Engine) findNOC(ctx context.Context, p i18n.Printer, q string) (*domain.NOC, []domain.NOC, error) {
	if isDigits(q) {
		if len(q) != 5 {
			return nil, nil, e.badCode(ctx, p, q, p.T("noc.not_five", "Value", clip(q, 20)))
		}
		n, err := e.store.NOC(ctx, q)
		if errors.Is(err, domain.ErrNotFound) {
			return nil, nil, e.badCode(ctx, p, q, p.T("noc.unknown", "Value", q))
		}
		if err != nil {
			return nil, nil, err
		}
		return &n, nil, nil
	}
	ns, err := e.store.SearchNOC(ctx, q, nocResults)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case len(ns) == 0:
		return nil, nil, e.noMatch(ctx, p, q)
	case len(ns) == 1 || strings.EqualFold(ns[0].TitleEN, q) || strings.EqualFold(ns[0].TitleFR, q):
		return &ns[0], nil, nil
	}
	return nil, ns, nil
}

// badCode explains a wrong code and offers the real codes that share its
// first three or four digits (fewer would be unrelated occupations), and a
// search by title.
func (e *Engine) badCode(ctx context.Context, p i18n.Printer, q, why string) *Error {
	err := &Error{Code: CodeInvalid, Title: why, Message: p.T("noc.search_title")}
	for l := min(len(q), 4); l >= 3; l-- {
		ns, serr := e.store.SearchNOC(ctx, q[:l], 3)
		if serr != nil || len(ns) == 0 {
			continue
		}
		err.Hints = append(err.Hints, p.T("noc.closest"))
		for _, n := range ns {
			err.Hints = append(err.Hints, n.Code+" "+title(p, n))
			err.Choices = append(err.Choices, "eligible "+n.Code)
		}
		break
	}
	return err
}

// noMatch explains title words that matched nothing, suggesting titles for
// shorter stems of each word ("nursse" → "nurs"). Stems keep at least four
// letters, so noise ("<b>", "@everyone") suggests nothing.
func (e *Engine) noMatch(ctx context.Context, p i18n.Printer, q string) *Error {
	err := &Error{Code: CodeInvalid, Title: p.T("noc.no_match", "Value", clip(q, 40)), Message: p.T("noc.try")}
	words := strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) })
	for _, w := range words {
		r := []rune(w)
		for l := len(r) - 1; l >= 4; l-- {
			ns, serr := e.store.SearchNOC(ctx, string(r[:l]), 3)
			if serr != nil || len(ns) == 0 {
				continue
			}
			err.Message = p.T("noc.did_you_mean")
			for _, n := range ns {
				err.Hints = append(err.Hints, n.Code+" "+title(p, n))
				err.Choices = append(err.Choices, "eligible "+n.Code)
			}
			return err
		}
	}
	return err
}

// title is a unit group's title in the printer's language.
func title(p i18n.Printer, n domain.NOC) string {
	if p.Lang() == i18n.FR && n.TitleFR != "" {
		return n.TitleFR
	}
	return n.TitleEN
}

// byCategory groups a NOC's listings by category key, in first-listed order.
func byCategory(el []domain.Eligibility) (keys []domain.Key, m map[domain.Key][]domain.Eligibility) {
	m = map[domain.Key][]domain.Eligibility{}
	for _, x := range el {
		if _, ok := m[x.Category.Key]; !ok {
			keys = append(keys, x.Category.Key)
		}
		m[x.Category.Key] = append(m[x.Category.Key], x)
	}
	return keys, m
}

// eligibleOne answers for one unit group: ✅ or ❌ first, then each
// category that lists or listed it, with its rule and latest draw.
func (e *Engine) eligibleOne(ctx context.Context, p i18n.Printer, n domain.NOC) (reply.Reply, error) {
	asOf, err := e.asOf(ctx)
	if err != nil {
		return reply.Reply{}, err
	}
	el, err := e.store.Eligibility(ctx, n.Code)
	if err != nil {
		return reply.Reply{}, err
	}
	cats, err := e.store.Categories(ctx)
	if err != nil {
		return reply.Reply{}, err
	}
	currentOf := map[domain.Key]domain.CategoryVersion{}
	for _, c := range cats {
		if c.Current() {
			currentOf[c.Key] = c
		}
	}
	rep := reply.Reply{
		URL:     categoryPage,
		Summary: p.T("eligible.noc", "Code", n.Code, "Title", title(p, n), "TEER", n.TEER),
		Source:  listsSource,
		AsOf:    asOf,
		Footer:  footer(p, "footer.lists", asOf),
		Links:   []reply.Link{{Label: p.T("link.categories"), URL: categoryPage}},
	}
	keys, byKey := byCategory(el)
	latest, err := e.store.LatestDraws(ctx, keys)
	if err != nil {
		return reply.Reply{}, err
	}
	var now, past []string
	for _, key := range keys {
		// Several categories: each line says which one it is about.
		say := func(line string) {
			if len(keys) > 1 {
				line = p.T("eligible.scoped", "Cat", catTitle(p, key), "Line", lowerFirst(line))
			}
			rep.Lines = append(rep.Lines, line)
		}
		listed := map[int]bool{}
		var current *domain.CategoryVersion
		var before []domain.CategoryVersion
		for _, x := range byKey[key] {
			listed[x.Category.Version] = true
			if x.Category.Current() {
				current = &x.Category
			} else {
				before = append(before, x.Category)
			}
		}
		cur, hasCurrent := currentOf[key]
		switch {
		case current != nil:
			// Listed now: the version and its rule; earlier lists in one line.
			now = append(now, catTitle(p, key))
			say(p.T("eligible.current", "Version", versionLabel(p, *current), "Since", p.Date(current.EffectiveFrom), "Rule", experience(p, *current)))
			if len(before) > 0 {
				say(p.T("eligible.earlier", "Versions", earlier(p, before)))
			}
		default:
			// Listed before only: each list by its official name and dates,
			// then the version in force that dropped it.
			past = append(past, catTitle(p, key))
			for _, c := range before {
				say(p.T("eligible.past", "Name", e.versionName(ctx, p, c), "Dates", inForce(p, c)))
			}
			if hasCurrent {
				say(p.T("eligible.not_current", "Version", versionLabel(p, cur), "Since", p.Date(cur.EffectiveFrom)))
			} else {
				rep.Lines = append(rep.Lines, p.T("eligible.no_version", "Cat", catTitle(p, key)))
			}
		}
		d, held := latest[key]
		var newest, under *domain.Draw
		if held {
			newest = &d
			if under, err = e.listedUnder(ctx, d, listed); err != nil {
				return reply.Reply{}, err
			}
		}
		rep.Lines = append(rep.Lines, latestUnder(p, key, newest, under))
		if held && rep.Category == "" {
			rep.Category = string(key)
		}
	}
	switch {
	case len(now) > 0:
		rep.Title = p.T("eligible.yes", "Code", n.Code, "Lists", joinAnd(p, dedupe(now)), "Count", len(dedupe(now)))
	case len(past) > 0:
		rep.Title = p.T("eligible.past_only", "Code", n.Code)
	default:
		rep.Title = p.T("eligible.never", "Code", n.Code)
	}
	// What is left outside the categories matters when no list holds the
	// job now, and always when its TEER keeps it out of the programs.
	if len(now) == 0 || n.TEER > 3 {
		rep.Lines = append(rep.Lines, programNote(p, n))
	}
	return rep, nil
}

// versionLabel is a version's short name: "version 3", and says so when
// the number was inferred rather than read from IRCC's name.
func versionLabel(p i18n.Printer, c domain.CategoryVersion) string {
	if c.DrawName == "" {
		return p.T("version.short.inferred", "Version", c.Version)
	}
	return p.T("version.short", "Version", c.Version)
}

// earlier lists past versions by their years: "version 1 (2023 to 2025)".
func earlier(p i18n.Printer, cs []domain.CategoryVersion) string {
	var out []string
	for _, c := range cs {
		out = append(out, p.T("version.years", "Version", versionLabel(p, c), "From", year(c.EffectiveFrom), "To", year(c.EffectiveTo)))
	}
	return joinAnd(p, out)
}

func year(iso string) string { return iso[:min(4, len(iso))] }

func dedupe(xs []string) []string {
	var out []string
	for _, x := range xs {
		if !contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// listedUnder returns the newest draw of latest's category held under a
// version that lists the code: latest itself when its version does, nil
// when none does. One indexed look-up per listed version, not a read of
// the category's history.
func (e *Engine) listedUnder(ctx context.Context, latest domain.Draw, listed map[int]bool) (*domain.Draw, error) {
	if listed[latest.Version] {
		return &latest, nil
	}
	var under *domain.Draw
	for v := range listed {
		if v <= 0 {
			continue // Version 0 would ask for any version
		}
		ds, err := e.store.Draws(ctx, domain.DrawFilter{Category: latest.Category, Version: v, Limit: 1})
		if err != nil {
			return nil, err
		}
		if len(ds) > 0 && (under == nil || ds[0].Newer(*under)) {
			under = &ds[0]
		}
	}
	return under, nil
}

// latestUnder describes a category's newest draw (nil for none), and the
// newest draw held under a version that listed the code when that is a
// different one (listedUnder).
func latestUnder(p i18n.Printer, key domain.Key, latest, under *domain.Draw) string {
	cat := catIn(p, key)
	if latest == nil {
		return p.T("eligible.latest.none", "Cat", cat)
	}
	d := *latest
	s := p.T("eligible.latest", "Cat", cat, "CRS", p.Num(d.CRS), "Date", p.Date(d.Date), "Number", d.Number)
	switch {
	case under != nil && under.Number == latest.Number:
		return s
	case under != nil:
		x := *under
		return p.T("eligible.latest.both", "Latest", s, "Then", p.T("eligible.latest.listed", "CRS", p.Num(x.CRS), "Date", p.Date(x.Date), "Number", x.Number))
	}
	return p.T("eligible.latest.both", "Latest", s, "Then", p.T("eligible.latest.never_listed"))
}

// programNote says what is left outside the categories. Federal programs
// count only TEER 0-3 work as skilled.
func programNote(p i18n.Printer, n domain.NOC) string {
	if n.TEER <= 3 {
		return p.T("eligible.programs")
	}
	return p.T("eligible.teer", "TEER", n.TEER)
}

// nocList answers title words that match several unit groups, ns (not
// empty): one line each, with the lists it is on now, each offered as the
// next question.
func (e *Engine) nocList(ctx context.Context, p i18n.Printer, q string, ns []domain.NOC) (reply.Reply, error) {
	asOf, err := e.asOf(ctx)
	if err != nil {
		return reply.Reply{}, err
	}
	rep := reply.Reply{
		Title:   p.T("noc.list.title", "Value", clip(q, 40), "Code", ns[0].Code, "Name", title(p, ns[0])),
		URL:     categoryPage,
		Summary: p.T("noc.list.body", "N", len(ns), "Count", len(ns), "Code", ns[0].Code),
		Source:  listsSource,
		AsOf:    asOf,
		Footer:  footer(p, "footer.noc", asOf),
	}
	for _, n := range ns {
		line, err := e.nocLine(ctx, p, n)
		if err != nil {
			return reply.Reply{}, err
		}
		rep.Lines = append(rep.Lines, line)
		rep.Choices = append(rep.Choices, "eligible "+n.Code)
	}
	return rep, nil
}

// nocLine is one unit group with the category lists it is on now.
func (e *Engine) nocLine(ctx context.Context, p i18n.Printer, n domain.NOC) (string, error) {
	el, err := e.store.Eligibility(ctx, n.Code)
	if err != nil {
		return "", err
	}
	var cur []string
	pastOnly := false
	for _, x := range el {
		if x.Category.Current() {
			cur = append(cur, catTitle(p, x.Category.Key)+" v"+itoa(x.Category.Version))
		} else {
			pastOnly = true
		}
	}
	status := p.T("noc.line.none")
	switch {
	case len(cur) > 0:
		status = p.T("noc.line.now", "Lists", strings.Join(cur, ", "))
	case pastOnly:
		status = p.T("noc.line.past")
	}
	return p.T("noc.line", "Code", n.Code, "Title", title(p, n), "TEER", n.TEER, "Status", status), nil
}

func itoa(n int) string { return i18n.Printer{}.Num(n) }

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// lowerFirst continues a sentence with a line: "Listed since" → "listed since".
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}
