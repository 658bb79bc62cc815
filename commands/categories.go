package commands

import (
	"context"
	"fmt"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/reply"
)

func (e *Engine) categories(ctx context.Context, r Request) (reply.Reply, error) {
	asOf, err := e.asOf(ctx)
	if err != nil {
		return reply.Reply{}, err
	}
	cats, err := e.store.Categories(ctx)
	if err != nil {
		return reply.Reply{}, err
	}
	latest := map[string]domain.CategoryVersion{}
	for _, c := range cats {
		if c.Current() {
			latest[c.Key] = c
		}
	}
	rep := reply.Reply{
		Title:  "Express Entry categories in force",
		URL:    categoryPage,
		Source: listsSource,
		AsOf:   asOf,
		Links:  []reply.Link{{Label: "IRCC category-based selection", URL: categoryPage}},
		Note:   "Version numbers marked inferred are labels for lists IRCC has not yet used in a draw.",
	}
	var retired []string
	for _, key := range domain.CategoryKeys() {
		c, ok := latest[key]
		if !ok {
			retired = append(retired, domain.Label(key))
			continue
		}
		ds, err := e.store.Draws(ctx, domain.DrawFilter{Category: key, Limit: 1})
		if err != nil {
			return reply.Reply{}, err
		}
		last := "no draw yet"
		if len(ds) > 0 {
			last = fmt.Sprintf("last draw #%s on %s, CRS %d", ds[0].Number, ds[0].Date, ds[0].CRS)
		}
		rule := plural(c.NOCCount, "occupation", "occupations") + "; " + experience(c)
		if c.NOCCount == 0 {
			rule = experience(c)
		}
		rep.Fields = append(rep.Fields, reply.Field{Name: domain.Label(key),
			Value: fmt.Sprintf("%s, %s; %s; %s", versionName(c), inForce(c), rule, last)})
	}
	rep.Summary = fmt.Sprintf("%d categories have a current version.", len(rep.Fields))
	if len(retired) > 0 {
		rep.Lines = append(rep.Lines, "No current version: "+joinAnd(retired)+".")
	}
	return rep, nil
}

func joinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	s := ""
	for i, x := range xs[:len(xs)-1] {
		if i > 0 {
			s += ", "
		}
		s += x
	}
	return s + " and " + xs[len(xs)-1]
}
