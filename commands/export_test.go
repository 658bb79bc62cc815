package commands

import "strings"

// Understand exposes the question reader to the external tests: the
// command line a question becomes, "clarify a | b" when it asks which, or
// greeting, decline, empty; and the language it was in.
func Understand(e *Engine, text string) (line, lang string) {
	if cmd, args, ok := e.commandLine(text); ok {
		return strings.TrimSpace(cmd + " " + args), ""
	}
	u := e.understand(text)
	switch u.verdict {
	case verdictCommand:
		return u.line, u.lang
	case verdictClarify:
		return "clarify " + strings.Join(u.choices, " | "), u.lang
	case verdictGreeting:
		return "greeting", u.lang
	case verdictEmpty:
		return "empty", u.lang
	}
	return "decline", u.lang
}

// Track makes Options record the names handlers read, for the test that
// every declared argument is read.
func Track(o *Options) map[string]bool {
	o.read = map[string]bool{}
	return o.read
}
