package commands

import (
	"context"
	"strings"
	"time"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/reply"
)

const roundsPage = "https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/rounds-invitations.html"

// about says, for people, what the bot does, where its facts come from and
// how fresh they are.
func (e *Engine) about(ctx context.Context, r Request) (reply.Reply, error) {
	p := r.p
	m, err := e.store.Meta(ctx)
	if err != nil {
		return reply.Reply{}, err
	}
	ds, err := e.store.Draws(ctx, domain.DrawFilter{Limit: 1})
	if err != nil {
		return reply.Reply{}, err
	}
	rep := reply.Reply{Title: p.T("about.title"), URL: roundsPage, Note: p.T("about.note"),
		Lines: []string{p.T("about.source.draws"), p.T("about.source.lists"), p.T("about.source.noc"), p.T("about.source.oinp")},
		Links: []reply.Link{{Label: p.T("link.rounds"), URL: roundsPage}}}
	if len(ds) > 0 {
		rep.Summary = p.T("about.latest", "Number", ds[0].Number, "Date", p.Date(ds[0].Date)) + "\n"
	}
	if t, err := time.Parse(time.RFC3339, m.LastChecked); err == nil {
		rep.Summary += p.T("about.checked", "Ago", since(p, e.now().Sub(t)))
	} else {
		rep.Summary += p.T("about.not_checked", "Date", p.Date(m.SnapshotDate))
	}
	if line := e.fleetLine(p); line != "" {
		rep.Summary += "\n" + line
	}
	return rep, nil
}

// fleetLine says, in a fleet, which replica answered and which leads; ""
// for a single instance.
func (e *Engine) fleetLine(p i18n.Printer) string {
	if e.fleet == nil {
		return ""
	}
	replica, leader, show := e.fleet()
	switch {
	case !show:
		return ""
	case leader == "":
		return p.T("about.fleet.no_leader", "Replica", replica)
	case leader == replica:
		return p.T("about.fleet.leads", "Replica", replica)
	}
	return p.T("about.fleet", "Replica", replica, "Leader", leader)
}

// since is how long ago something happened, roughly: "12 minutes ago".
func since(p i18n.Printer, d time.Duration) string {
	switch {
	case d < time.Minute:
		return p.T("just_now")
	case d < time.Hour:
		n := int(d / time.Minute)
		return p.T("minutes_ago", "N", p.Num(n), "Count", n)
	case d < 48*time.Hour:
		n := int(d / time.Hour)
		return p.T("hours_ago", "N", p.Num(n), "Count", n)
	}
	return ago(p, int(d/(24*time.Hour)))
}

func (e *Engine) help(ctx context.Context, r Request) (reply.Reply, error) {
	rep := e.helpReply(r.p)
	if r.Caller.Platform == domain.Discord {
		rep.Summary = r.p.T("help.intro.slash")
		for i, l := range rep.Lines {
			rep.Lines[i] = "/" + l
		}
		rep.Private = true
	}
	return rep, nil
}

// helpReply lists every public command with a help line, from the table.
func (e *Engine) helpReply(p i18n.Printer) reply.Reply {
	rep := reply.Reply{Title: p.T("help.title"), Summary: p.T("help.intro"), Note: p.T("about.note")}
	for _, s := range e.list {
		if s.Help != "" && s.Access == Everyone {
			example := strings.ReplaceAll(s.Example, "[category]", "["+p.T("help.placeholder.category")+"]")
			rep.Lines = append(rep.Lines, p.T("help.line", "Example", example, "Help", p.T(s.Help)))
		}
	}
	return rep
}

// start welcomes someone who opens the bot: two lines and what to tap.
func (e *Engine) start(ctx context.Context, r Request) (reply.Reply, error) {
	return e.welcome(r.p), nil
}

// welcome greets in two lines, with three questions to tap.
func (e *Engine) welcome(p i18n.Printer) reply.Reply {
	rep := reply.Reply{Title: p.T("welcome.title"), Summary: p.T("welcome.body")}
	for _, a := range []reply.Action{
		{Label: p.T("welcome.button.draws"), Command: "draws"},
		{Label: p.T("welcome.button.cutoff"), Command: "cutoff", Args: "healthcare"},
		{Label: p.T("welcome.button.noc"), Command: "eligible", Args: "33109"},
	} {
		rep.Actions = append(rep.Actions, a)
		rep.Choices = append(rep.Choices, strings.TrimSpace(a.Command+" "+a.Args))
	}
	return rep
}
