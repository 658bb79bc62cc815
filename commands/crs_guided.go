package commands

import (
	"context"

	"github.com/eebot/eebot/internal/reply"
)

// crsGuided answers the guided questions: ok is false when text is a
// one-line profile for crs to score.
func (e *Engine) crsGuided(ctx context.Context, r Request, text string) (reply.Reply, bool, error) {
	if text != "" {
		return reply.Reply{}, false, nil
	}
	return reply.Reply{Status: reply.StatusHelp, Private: true, Title: r.p.T("crs.start.title"), Summary: r.p.T("usage.crs")}, true, nil
}
