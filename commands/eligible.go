package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/eebot/eebot/internal/domain"
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
		case "", "noc", "cnp", "code", "is", "eligible", "my", "a", "an", "the":
			continue
		}
		keep = append(keep, w)
	}
	return strings.Join(keep, " ")
}

func (e *Engine) eligible(ctx context.Context, r Request) (reply.Reply, error) {
	q := nocQuery(r.Options.Text("noc"))
	if q == "" {
		return reply.Reply{}, invalid("Which occupation? Give a NOC 2021 code or job title: eligible 33109, eligible nurse.")
	}
	n, err := e.findNOC(ctx, q)
	if err != nil {
		return reply.Reply{}, err
	}
	if n == nil {
		return e.eligibleList(ctx, q)
	}
	return e.eligibleOne(ctx, *n)
}

// findNOC resolves a code or title words to one unit group. It returns nil,
// nil when several titles match (the caller lists them), and an *Error
// with suggestions when nothing does.
func (e *Engine) findNOC(ctx context.Context, q string) (*domain.NOC, error) {
	if isDigits(q) {
		if len(q) != 5 {
			return nil, e.badCode(ctx, q, fmt.Sprintf("%q is not a NOC code: NOC 2021 codes have five digits.", clip(q, 20)))
		}
		n, err := e.store.NOC(ctx, q)
		if errors.Is(err, domain.ErrNotFound) {
			return nil, e.badCode(ctx, q, fmt.Sprintf("%s is not a NOC 2021 unit group.", q))
		}
		if err != nil {
			return nil, err
		}
		return &n, nil
	}
	ns, err := e.store.SearchNOC(ctx, q, 2)
	if err != nil {
		return nil, err
	}
	switch {
	case len(ns) == 0:
		return nil, invalid(fmt.Sprintf("No NOC 2021 unit group matches %q.", clip(q, 40)), e.titleHints(ctx, q)...)
	case len(ns) == 1 || strings.EqualFold(ns[0].TitleEN, q) || strings.EqualFold(ns[0].TitleFR, q):
		return &ns[0], nil
	}
	return nil, nil
}

// badCode explains a wrong code and suggests the nearest real ones: those
// sharing the longest prefix with what was typed.
func (e *Engine) badCode(ctx context.Context, q, why string) *Error {
	err := invalid(why)
	for p := min(len(q), 4); p >= 1; p-- {
		ns, serr := e.store.SearchNOC(ctx, q[:p], 5)
		if serr != nil || len(ns) == 0 {
			continue
		}
		err.Hints = append(err.Hints, "Closest codes:")
		for _, n := range ns {
			err.Hints = append(err.Hints, n.Code+" "+n.TitleEN)
			err.Choices = append(err.Choices, "eligible "+n.Code)
		}
		break
	}
	err.Hints = append(err.Hints, "Search by title with: noc <words>, e.g. noc nurse")
	return err
}

// titleHints suggests titles for words that matched nothing, by retrying
// with shorter stems of each word ("nursse" → "nurs"). Stems keep at least
// four letters, so noise ("<b>", "@everyone") suggests nothing.
func (e *Engine) titleHints(ctx context.Context, q string) []string {
	words := strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) })
	for _, w := range words {
		r := []rune(w)
		for l := len(r) - 1; l >= 4; l-- {
			ns, err := e.store.SearchNOC(ctx, string(r[:l]), 3)
			if err != nil || len(ns) == 0 {
				continue
			}
			var hints []string
			for _, n := range ns {
				hints = append(hints, "Did you mean "+n.Code+" "+n.TitleEN+"?")
			}
			return append(hints, "Search by title with: noc <words>, e.g. noc nurse")
		}
	}
	return []string{"Try a NOC code (five digits) or a job title word, e.g. eligible nurse, or search with noc <words>."}
}

// byCategory groups a NOC's listings by category key, in first-listed order.
func byCategory(el []domain.Eligibility) (keys []string, m map[string][]domain.Eligibility) {
	m = map[string][]domain.Eligibility{}
	for _, x := range el {
		if _, ok := m[x.Category.Key]; !ok {
			keys = append(keys, x.Category.Key)
		}
		m[x.Category.Key] = append(m[x.Category.Key], x)
	}
	return keys, m
}

func (e *Engine) eligibleOne(ctx context.Context, n domain.NOC) (reply.Reply, error) {
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
	currentOf := map[string]domain.CategoryVersion{}
	for _, c := range cats {
		if c.Current() {
			currentOf[c.Key] = c
		}
	}
	rep := reply.Reply{
		Title:  fmt.Sprintf("NOC %s: %s", n.Code, n.TitleEN),
		URL:    categoryPage,
		Fields: []reply.Field{{Name: "TEER", Value: fmt.Sprint(n.TEER), Inline: true}},
		Source: listsSource,
		AsOf:   asOf,
		Links:  []reply.Link{{Label: "IRCC category-based selection", URL: categoryPage}},
		Note:   "Lists come from third-party copies of IRCC's tables, not official text read directly; check IRCC's page before you rely on it. Not legal advice.",
	}
	keys, byKey := byCategory(el)
	var now, past []string
	for _, key := range keys {
		listed := map[int]bool{}
		var lines []string
		for _, x := range byKey[key] {
			c := x.Category
			listed[c.Version] = true
			state := "past"
			if c.Current() {
				state = "current"
				now = append(now, versionName(c))
			} else {
				past = append(past, versionName(c))
			}
			lines = append(lines, fmt.Sprintf("%s: %s (%s); %s", state, versionName(c), inForce(c), experience(c)))
		}
		if cur, ok := currentOf[key]; ok && !listed[cur.Version] {
			lines = append(lines, fmt.Sprintf("not on the current list: %s (%s)", versionName(cur), inForce(cur)))
		} else if !ok {
			lines = append(lines, "this category has no current version")
		}
		rep.Fields = append(rep.Fields, reply.Field{Name: domain.Label(key), Value: strings.Join(lines, "\n")})
		ds, err := e.store.Draws(ctx, domain.DrawFilter{Category: key})
		if err != nil {
			return reply.Reply{}, err
		}
		rep.Fields = append(rep.Fields, reply.Field{Name: "Latest " + domain.Label(key) + " draw", Value: latestUnder(ds, listed)})
		if len(ds) > 0 && rep.Category == "" {
			rep.Category = key
		}
	}
	switch {
	case len(now) > 0:
		rep.Summary = fmt.Sprintf("Eligible now: NOC %s is on %s.", n.Code, strings.Join(now, " and "))
		if len(past) > 0 {
			rep.Summary += " Also listed before under " + strings.Join(past, ", ") + "."
		}
	case len(past) > 0:
		rep.Summary = fmt.Sprintf("Not on any current category list. NOC %s was listed under %s.", n.Code, strings.Join(past, ", "))
	default:
		rep.Status = reply.StatusOK
		rep.Summary = fmt.Sprintf("NOC %s is not on any Express Entry category list (2023 to now).", n.Code)
	}
	rep.Lines = append(rep.Lines, programNote(n))
	return rep, nil
}

// latestUnder describes a category's newest draw, and the newest draw held
// under a version that listed the code when that is a different one.
func latestUnder(ds []domain.Draw, listed map[int]bool) string {
	if len(ds) == 0 {
		return "no draw yet"
	}
	d := ds[0]
	s := fmt.Sprintf("#%s on %s: CRS %d, %s invitations (%s)", d.Number, d.Date, d.CRS, commas(d.Size), d.Name)
	if listed[d.Version] {
		return s
	}
	for _, x := range ds {
		if listed[x.Version] {
			return s + fmt.Sprintf("; under a list that included this code: #%s on %s, CRS %d", x.Number, x.Date, x.CRS)
		}
	}
	return s + "; no draw was held under a list that included this code"
}

// programNote says what is left outside the categories. Federal programs
// count only TEER 0-3 work as skilled.
func programNote(n domain.NOC) string {
	if n.TEER <= 3 {
		return "Outside the categories, this occupation can still be invited in program rounds (CEC, FSW, PNP, general) if you meet that program's rules; FST rounds take skilled trades only."
	}
	return fmt.Sprintf("TEER %d work is not skilled work for Express Entry's federal programs (CEC, FSW, FST need TEER 0-3); a provincial nomination may still be possible.", n.TEER)
}

// eligibleList answers title words that match several unit groups: one
// line each, with the lists it is on now.
func (e *Engine) eligibleList(ctx context.Context, q string) (reply.Reply, error) {
	asOf, err := e.asOf(ctx)
	if err != nil {
		return reply.Reply{}, err
	}
	ns, err := e.store.SearchNOC(ctx, q, 10)
	if err != nil {
		return reply.Reply{}, err
	}
	rep := reply.Reply{
		Title:   fmt.Sprintf("Occupations matching %q", clip(q, 40)),
		URL:     categoryPage,
		Summary: fmt.Sprintf("%s match. Ask about one code for the full answer, e.g. eligible %s.", plural(len(ns), "unit group", "unit groups"), ns[0].Code),
		Source:  listsSource,
		AsOf:    asOf,
		Links:   []reply.Link{{Label: "IRCC category-based selection", URL: categoryPage}},
	}
	if err := e.listNOCs(ctx, &rep, ns); err != nil {
		return reply.Reply{}, err
	}
	return rep, nil
}

// listNOCs adds one line per unit group, with the lists it is on now, and
// offers each as a next question.
func (e *Engine) listNOCs(ctx context.Context, rep *reply.Reply, ns []domain.NOC) error {
	for _, n := range ns {
		line, err := e.nocLine(ctx, n)
		if err != nil {
			return err
		}
		rep.Lines = append(rep.Lines, line)
		rep.Choices = append(rep.Choices, "eligible "+n.Code)
	}
	return nil
}

// nocLine is one unit group with the category lists it is on now.
func (e *Engine) nocLine(ctx context.Context, n domain.NOC) (string, error) {
	el, err := e.store.Eligibility(ctx, n.Code)
	if err != nil {
		return "", err
	}
	var cur []string
	pastOnly := false
	for _, x := range el {
		if x.Category.Current() {
			cur = append(cur, fmt.Sprintf("%s v%d", domain.Label(x.Category.Key), x.Category.Version))
		} else {
			pastOnly = true
		}
	}
	s := fmt.Sprintf("%s %s (TEER %d)", n.Code, n.TitleEN, n.TEER)
	switch {
	case len(cur) > 0:
		return s + ": eligible now: " + strings.Join(cur, ", "), nil
	case pastOnly:
		return s + ": on past lists only", nil
	}
	return s + ": no category", nil
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
