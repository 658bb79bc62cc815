package commands

import (
	"context"

	"github.com/eebot/eebot/internal/reply"
)

const nocResults = 10

// noc searches unit groups by code prefix or title words.
func (e *Engine) noc(ctx context.Context, r Request) (reply.Reply, error) {
	p := r.p
	q := nocQuery(r.Options.Text("query"))
	if q == "" {
		return reply.Reply{}, invalid(p.T("arg.query.missing"))
	}
	if isDigits(q) && len(q) > 5 {
		return reply.Reply{}, invalid(p.T("noc.too_long", "Value", clip(q, 20)))
	}
	ns, err := e.store.SearchNOC(ctx, q, nocResults)
	if err != nil {
		return reply.Reply{}, err
	}
	if len(ns) == 0 {
		if isDigits(q) {
			return reply.Reply{}, e.badCode(ctx, p, q, p.T("noc.no_match", "Value", clip(q, 40)))
		}
		err := e.noMatch(ctx, p, q)
		err.Code = CodeNotFound
		return reply.Reply{}, err
	}
	return e.nocList(ctx, p, q, ns)
}

// CompleteNOC returns up to limit NOC choices for autocomplete: "33109 Other
// assisting occupations…" within Discord's 100-character limit, in the
// language of locale.
func (e *Engine) CompleteNOC(ctx context.Context, query, locale string, limit int) []Choice {
	p := e.Words(locale)
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
		out = append(out, Choice{Name: clip(n.Code+" "+title(p, n), 100), Value: n.Code})
	}
	return out
}
