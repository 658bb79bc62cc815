package commands

import "context"

// Handle answers one request. It never panics on user input and never writes.
func (e *Engine) Handle(ctx context.Context, r Request) Reply {
	return Reply{Status: StatusHelp, Command: r.Command, Title: "Not ready"}
}

// Ask answers a line of text: "/cutoff healthcare", "cutoff healthcare" or a
// free-text question such as "is 33109 eligible".
func (e *Engine) Ask(ctx context.Context, text string) Reply {
	r, _ := ParseText(text)
	return e.Handle(ctx, r)
}

// ParseText maps a typed line to a Request; ok is false when nothing matched
// (the Request then asks for help).
func ParseText(text string) (Request, bool) { return Request{Command: "help"}, false }

// CompleteNOC returns up to limit NOC choices for autocomplete.
func (e *Engine) CompleteNOC(ctx context.Context, query string, limit int) []Choice { return nil }

// CategoryChoices lists the categories and programs users can pick from.
func CategoryChoices() []Choice { return nil }
