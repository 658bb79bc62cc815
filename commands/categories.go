package commands

import (
	"context"
	"fmt"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/reply"
)

// categories lists the categories in force, one line each, saying the
// experience rule most of them share once.
func (e *Engine) categories(ctx context.Context, r Request) (reply.Reply, error) {
	p := r.p
	asOf, err := e.asOf(ctx)
	if err != nil {
		return reply.Reply{}, err
	}
	cats, err := e.store.Categories(ctx)
	if err != nil {
		return reply.Reply{}, err
	}
	current := map[domain.Key]domain.CategoryVersion{}
	for _, c := range cats {
		if c.Current() {
			current[c.Key] = c
		}
	}
	rules := map[string]int{}
	for _, c := range current {
		rules[experience(p, c)]++
	}
	shared, most := "", 1
	for rule, n := range rules {
		if n > most || n == most && rule < shared {
			shared, most = rule, n
		}
	}
	rep := reply.Reply{URL: categoryPage, Source: listsSource, AsOf: asOf, Footer: footer(p, "footer.lists", asOf),
		Links: []reply.Link{{Label: p.T("link.categories"), URL: categoryPage}}}
	var retired []string
	inferred := false
	keys := make([]domain.Key, 0, len(current))
	for _, key := range domain.CategoryKeys() {
		if _, ok := current[key]; ok {
			keys = append(keys, key)
		}
	}
	latest, err := e.store.LatestDraws(ctx, keys)
	if err != nil {
		return reply.Reply{}, err
	}
	for _, key := range domain.CategoryKeys() {
		c, ok := current[key]
		if !ok {
			retired = append(retired, catTitle(p, key))
			continue
		}
		last := p.T("categories.no_draw")
		if d, ok := latest[key]; ok {
			last = p.T("categories.last", "CRS", p.Num(d.CRS), "Date", p.Date(d.Date))
		}
		line := p.T("categories.line", "Cat", catTitle(p, key), "Version", fmt.Sprintf("v%d", c.Version), "Since", p.Date(c.EffectiveFrom), "Last", last)
		if c.NOCCount > 0 {
			line += " · " + p.T("categories.jobs", "N", c.NOCCount, "Count", c.NOCCount)
		}
		if rule := experience(p, c); rule != shared {
			line += " · " + rule
		}
		if c.DrawName == "" {
			line += " *"
			inferred = true
		}
		rep.Lines = append(rep.Lines, line)
	}
	rep.Title = p.T("categories.title", "N", len(rep.Lines), "Count", len(rep.Lines))
	if shared != "" {
		rep.Summary = p.T("categories.shared", "Rule", shared)
	}
	if len(retired) > 0 {
		rep.Lines = append(rep.Lines, p.T("categories.retired", "List", joinAnd(p, retired)))
	}
	if inferred {
		rep.Note = p.T("categories.inferred")
	}
	return rep, nil
}
