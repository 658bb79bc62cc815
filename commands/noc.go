package commands

import (
	"context"
	"fmt"

	"github.com/eebot/eebot/internal/reply"
)

const nocResults = 10

func (e *Engine) noc(ctx context.Context, r Request) (reply.Reply, error) {
	q := nocQuery(r.Options.Text("query"))
	if q == "" {
		return reply.Reply{}, invalid("Search by code prefix or title words: noc 331, noc nurse.")
	}
	if isDigits(q) && len(q) > 5 {
		return reply.Reply{}, invalidf("%q is too long: NOC 2021 codes have five digits.", clip(q, 20))
	}
	ns, err := e.store.SearchNOC(ctx, q, nocResults)
	if err != nil {
		return reply.Reply{}, err
	}
	if len(ns) == 0 {
		why := fmt.Sprintf("No NOC 2021 unit group matches %q.", clip(q, 40))
		if isDigits(q) {
			return reply.Reply{}, e.badCode(ctx, q, why)
		}
		err := invalid(why, e.titleHints(ctx, q)...)
		err.Code = CodeNotFound
		err.Title = "I can't use that"
		return reply.Reply{}, err
	}
	asOf, err := e.asOf(ctx)
	if err != nil {
		return reply.Reply{}, err
	}
	rep := reply.Reply{
		Title:   fmt.Sprintf("NOC 2021 unit groups matching %q", clip(q, 40)),
		Summary: fmt.Sprintf("Best matches first (%d shown). Ask eligible <code> for the full answer.", len(ns)),
		Source:  "Statistics Canada NOC 2021 V1.0; category lists: third-party copies of IRCC's tables",
		AsOf:    asOf,
	}
	if err := e.listNOCs(ctx, &rep, ns); err != nil {
		return reply.Reply{}, err
	}
	return rep, nil
}

// CompleteNOC returns up to limit NOC choices for autocomplete: "33109 Other
// assisting occupations…" within Discord's 100-character limit.
func (e *Engine) CompleteNOC(ctx context.Context, query string, limit int) []Choice {
	q := nocQuery(query)
	if q == "" {
		q = "0"
	}
	ns, err := e.store.SearchNOC(ctx, q, limit)
	if err != nil {
		e.log.Error("noc autocomplete failed", "err", err)
		return nil
	}
	out := make([]Choice, 0, len(ns))
	for _, n := range ns {
		out = append(out, Choice{Name: clip(n.Code+" "+n.TitleEN, 100), Value: n.Code})
	}
	return out
}
