package commands

import (
	"context"
	"fmt"
	"slices"
	"strings"

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
	// Free text after a command word is a question unless it is short and
	// plain: "noc nurse" is a command, "noc code for a nurse" a question.
	if _, free := spec.freeText(nil); free {
		for _, w := range normalize(rest) {
			if stopWords[w.text] && !connectors[w.text] || len(rest) > 40 {
				return "", "", false
			}
		}
	}
	o, err := spec.bind(strings.TrimRight(rest, "?!. "))
	if err != nil {
		return "", "", false
	}
	if _, err := spec.check(o); err != nil && len(o.vals) > 0 {
		return "", "", false
	}
	return first, strings.TrimRight(rest, "?!. "), true
}

// Ask answers a line of text from c: a command ("/cutoff healthcare",
// "cutoff healthcare") or a question in plain words, English or French
// ("is 33109 eligible", "dernier tirage santé ?"). A question in a known
// language sets the caller's locale for the reply.
func (e *Engine) Ask(ctx context.Context, text string, c Caller) reply.Reply {
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
	switch u.verdict {
	case verdictCommand:
		cmd, args, _ := strings.Cut(u.line, " ")
		return e.Command(ctx, cmd, args, 0, c)
	case verdictClarify:
		return e.finish(e.specs["help"], e.clarify(u.choices))
	case verdictGreeting:
		return e.finish(e.specs["help"], e.welcome())
	case verdictEmpty:
		rep := e.helpReply()
		rep.Status = reply.StatusHelp
		return e.finish(e.specs["help"], rep)
	}
	return e.finish(e.specs["help"], e.decline(text, u.verdict))
}

// clarify asks which of two readings was meant, each a button.
func (e *Engine) clarify(lines []string) reply.Reply {
	rep := reply.Reply{Status: reply.StatusHelp, Title: "Which did you mean?", Summary: "I can read that in two ways; tap one or type it:"}
	for _, l := range lines {
		cmd, args, _ := strings.Cut(l, " ")
		help := ""
		if s, ok := e.specs[cmd]; ok {
			help = ": " + s.Help
		}
		rep.Lines = append(rep.Lines, l+help)
		rep.Choices = append(rep.Choices, l)
		rep.Actions = append(rep.Actions, reply.Action{Label: l, Command: cmd, Args: args})
	}
	return rep
}

// welcome answers a greeting.
func (e *Engine) welcome() reply.Reply {
	rep := reply.Reply{Title: "Hello!", Summary: "Ask me about Express Entry draws, in plain words or with a command. For example:"}
	for _, l := range []string{"last healthcare cutoff", "is 33109 eligible", "draws"} {
		rep.Choices = append(rep.Choices, l)
		cmd, args, _ := strings.Cut(l, " ")
		rep.Actions = append(rep.Actions, reply.Action{Label: l, Command: cmd, Args: args})
	}
	rep.Actions[1] = reply.Action{Label: "is 33109 eligible", Command: "eligible", Args: "33109"}
	return rep
}

// suggestions are what a declined question is offered instead, ranked by
// the words they share with it.
var suggestions = []string{
	"last healthcare cutoff", "is 33109 eligible", "draws cec 5", "stats 2025", "next french", "pool above 480",
	"match 470 healthcare", "history stem", "noc nurse", "categories",
}

// decline says briefly what the bot cannot answer, then the three
// suggestions closest to what was typed.
func (e *Engine) decline(text string, v verdict) reply.Reply {
	rep := reply.Reply{Status: reply.StatusHelp, Title: "I can't answer that",
		Summary: "I answer questions about Express Entry draws: cutoffs, NOC eligibility, statistics and the pool."}
	switch v {
	case verdictPredict:
		rep.Title = "Nobody can know that"
		rep.Summary = "IRCC does not announce draws, their cutoffs or who will be invited in advance, so I won't guess. I can show how past draws went."
	case verdictBadScore:
		rep.Title = "That isn't a CRS score"
		rep.Summary = fmt.Sprintf("CRS scores run from 0 to %d. Try, for example: match 470 healthcare.", maxCRS)
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
	rep.Lines = []string{"Try: " + strings.Join(rep.Choices, " · ")}
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
