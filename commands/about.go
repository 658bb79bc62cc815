package commands

import (
	"context"
	"fmt"

	"github.com/eebot/eebot/internal/reply"
)

func (e *Engine) about(ctx context.Context, r Request) (reply.Reply, error) {
	m, err := e.store.Meta(ctx)
	if err != nil {
		return reply.Reply{}, err
	}
	asOf, err := e.asOf(ctx)
	if err != nil {
		return reply.Reply{}, err
	}
	n, err := e.store.CountDraws(ctx, "")
	if err != nil {
		return reply.Reply{}, err
	}
	checked, changed := m.LastChecked, m.LastChanged
	if checked == "" {
		checked = "not yet (answering from the embedded snapshot)"
	}
	if changed == "" {
		changed = "no change seen since the snapshot"
	}
	return reply.Reply{
		Title: "About this bot",
		URL:   "https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/rounds-invitations.html",
		Summary: "I answer questions about Express Entry rounds of invitations: category cutoffs, NOC eligibility by category version, " +
			"recent draws, the pool's score distribution and how a score compares with past draws. I am not affiliated with IRCC, " +
			"and nothing I say is legal or immigration advice.",
		Fields: []reply.Field{
			{Name: "Draws", Value: fmt.Sprintf("%s, newest on %s", commas(n), m.LatestDraw), Inline: true},
			{Name: "Snapshot", Value: m.SnapshotDate, Inline: true},
			{Name: "Feed last checked", Value: checked, Inline: true},
			{Name: "Feed last changed", Value: changed, Inline: true},
		},
		Lines: []string{
			"Draws: IRCC's rounds feed (ee_rounds_123_en.json), refreshed from canada.ca when reachable.",
			"Category lists: third-party copies of IRCC's category tables, each code backed by two sources; the official page is linked with every answer.",
			"Occupations: Statistics Canada's NOC 2021 V1.0 unit groups.",
			"Ontario draws (oinp): a third party's copy of Ontario.ca's tables, to 2026-02-02; not refreshed.",
		},
		Links:  []reply.Link{{Label: "IRCC rounds of invitations", URL: "https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/rounds-invitations.html"}},
		Source: feedSource,
		AsOf:   asOf,
	}, nil
}

func (e *Engine) help(ctx context.Context, r Request) (reply.Reply, error) {
	return e.helpReply(), nil
}

// helpReply lists every command that has a help line, from the table.
func (e *Engine) helpReply() reply.Reply {
	rep := reply.Reply{
		Title:   "What you can ask",
		Summary: "Ask in plain words (\"is 33109 eligible\", \"last healthcare cutoff\") or use a command:",
		Note:    "Not legal advice. Data from IRCC's public rounds feed.",
	}
	for _, s := range e.list {
		if s.Help != "" && s.Access == Everyone {
			rep.Lines = append(rep.Lines, s.Example+": "+s.Help)
		}
	}
	return rep
}
