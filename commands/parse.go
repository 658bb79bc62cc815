package commands

import (
	"context"
	"slices"
	"strings"

	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/reply"
)

// commandLine reads a line typed as a command: "/cutoff@OurBot stem" always
// is one; "cutoff stem" or "draws 5 cec" is one when its options read
// cleanly, otherwise it is a question ("cutoff for the last Canadian
// Experience Class draw").
func (e *Engine) commandLine(text string) (cmd, args string, ok bool) {
	s := oneLine(text)
	slash := strings.HasPrefix(s, "/")
	first, rest, _ := strings.Cut(strings.TrimPrefix(s, "/"), " ")
	if i := strings.IndexByte(first, '@'); i > 0 {
		first = first[:i]
	}
	first = strings.ToLower(first)
	if first == "" {
		return "", "", false
	}
	if slash {
		return first, rest, true
	}
	sub, _, _ := strings.Cut(rest, " ")
	spec, known := e.Spec(first, sub)
	if !known {
		return "", "", false
	}
	if spec.Sub != "" {
		rest = strings.TrimSpace(strings.TrimPrefix(rest, sub))
	}
	if spec.Form {
		// A form is key=value words; "crs 470 healthcare" is a question.
		if rest == "" || strings.Contains(rest, "=") {
			return first, rest, true
		}
		return "", "", false
	}
	// Free text after a command word is a question unless it is short and
	// plain: "noc nurse" is a command, "noc code for a nurse" a question.
	if _, free := spec.freeText(nil); free {
		for _, w := range normalize(rest) {
			if stopWords[w.text] && !connectors[w.text] || len(rest) > 40 {
				return "", "", false
			}
		}
	}
	p := e.words.Printer(e.lang)
	o, err := spec.bind(strings.TrimRight(rest, "?!. "), p)
	if err != nil {
		return "", "", false
	}
	if _, err := spec.check(o, p); err != nil && len(o.vals) > 0 {
		return "", "", false
	}
	return first, strings.TrimRight(rest, "?!. "), true
}

// Ask answers a line of text from c: a command ("/cutoff healthcare",
// "cutoff healthcare") or a question in plain words, English or French
// ("is 33109 eligible", "dernier tirage santé ?"). A question in a known
// language sets the caller's locale for the reply.
func (e *Engine) Ask(ctx context.Context, text string, c Caller) (rep reply.Reply) {
	ctx, done := e.observe(ctx, c)
	defer done(&rep)
	if rep, ok := e.crsTyped(ctx, text, c); ok {
		return rep // an answer to a guided crs question
	}
	if cmd, args, ok := e.commandLine(text); ok {
		return e.Command(ctx, cmd, args, 0, c)
	}
	u := e.understand(text)
	if u.lang != "" {
		c.Locale = u.lang
	}
	// A command word whose options did not read, and no better reading:
	// the command's own error says what to fix ("cutoff astrology").
	if first, rest, _ := strings.Cut(oneLine(text), " "); u.verdict == verdictDecline {
		if _, ok := e.Spec(strings.ToLower(first), ""); ok || e.hasSubcommands(strings.ToLower(first)) {
			return e.Command(ctx, first, rest, 0, c)
		}
	}
	p := e.printer(ctx, c)
	help := e.specs["help"]
	switch u.verdict {
	case verdictCommand:
		cmd, args, _ := strings.Cut(u.line, " ")
		return e.Command(ctx, cmd, args, 0, c)
	case verdictClarify:
		return e.finish(p, help, e.clarify(p, u.choices))
	case verdictGreeting:
		return e.finish(p, e.specs["start"], e.welcome(p))
	case verdictEmpty:
		rep := e.helpReply(p)
		rep.Status = reply.StatusHelp
		return e.finish(p, help, rep)
	}
	return e.finish(p, help, e.decline(p, text, u.verdict))
}

// clarify asks which of two readings was meant, each a button.
func (e *Engine) clarify(p i18n.Printer, lines []string) reply.Reply {
	rep := reply.Reply{Status: reply.StatusHelp, Title: p.T("clarify.title"), Summary: p.T("clarify.body")}
	for _, l := range lines {
		cmd, args, _ := strings.Cut(l, " ")
		line := l
		if s, ok := e.specs[cmd]; ok && s.Help != "" {
			line = p.T("clarify.line", "Line", l, "Help", p.T(s.Help))
		}
		rep.Lines = append(rep.Lines, line)
		rep.Choices = append(rep.Choices, l)
		rep.Actions = append(rep.Actions, reply.Action{Label: l, Command: cmd, Args: args})
	}
	return rep
}

// suggestions are what a declined question is offered instead, ranked by
// the words they share with it.
var suggestions = []string{
	"cutoff healthcare", "eligible 33109", "draws cec 5", "stats 2025", "next french", "pool 480",
	"match 470 healthcare", "history stem", "noc nurse", "categories",
}

// decline says briefly what the bot cannot answer, then the three
// suggestions closest to what was typed.
func (e *Engine) decline(p i18n.Printer, text string, v verdict) reply.Reply {
	rep := reply.Reply{Status: reply.StatusHelp, Title: p.T("decline.title"), Summary: p.T("decline.body")}
	switch v {
	case verdictPredict:
		rep.Title, rep.Summary = p.T("predict.title"), p.T("predict.body")
	case verdictBadScore:
		rep.Title, rep.Summary = p.T("badscore.title"), p.T("badscore.body")
	}
	typed := map[string]bool{}
	for _, w := range normalize(text) {
		typed[w.text] = true
	}
	ranked := slices.Clone(suggestions)
	overlap := func(s string) int {
		n := 0
		for _, w := range strings.Fields(s) {
			if typed[w] {
				n++
			}
		}
		return n
	}
	slices.SortStableFunc(ranked, func(a, b string) int { return overlap(b) - overlap(a) })
	rep.Choices = append(rep.Choices, ranked[:3]...)
	return rep
}

// hasSubcommands reports whether name is typed with a subcommand ("draw").
func (e *Engine) hasSubcommands(name string) bool {
	for _, s := range e.list {
		if s.Sub != "" && s.Name == name {
			return true
		}
	}
	return false
}
