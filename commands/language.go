package commands

import (
	"context"

	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/reply"
)

// language sets the language of a chat's answers and posts; auto lets each
// person's question and platform decide again.
func (e *Engine) language(ctx context.Context, r Request) (reply.Reply, error) {
	lang := r.Options.Text("lang")
	if lang == "auto" {
		lang = ""
	}
	if err := e.store.SetChatLanguage(ctx, r.Caller.Platform, r.Caller.Destination, lang); err != nil {
		return reply.Reply{}, err
	}
	p := r.p
	if l, ok := i18n.Parse(lang); ok {
		p = e.words.Printer(l)
	}
	id := "language.set"
	if lang == "" {
		id = "language.auto"
	}
	return reply.Reply{Title: p.T(id), Private: true, Lang: string(p.Lang())}, nil
}
