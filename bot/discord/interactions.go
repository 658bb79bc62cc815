package discord

import (
	"context"
	"errors"
	"runtime/debug"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/eebot/eebot/commands"
	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/reply"
)

// onInteraction answers one INTERACTION_CREATE with a single
// InteractionRespond call: type 4 (message), 7 (update the message a button
// sits on) or 8 (autocomplete). The engine answers in well under a
// millisecond, so nothing is deferred, and each callback has its own
// rate-limit bucket (…/interactions/{id}/{token}/callback).
func (b *Bot) onInteraction(ic *discordgo.InteractionCreate) {
	if ic == nil || ic.Interaction == nil || ic.ID == "" || ic.Token == "" {
		return
	}
	b.inflight.add()
	defer b.inflight.done()
	i := ic.Interaction
	b.guilds.put(i.ChannelID, i.GuildID)
	// Answers in flight finish even while Run shuts down, within Discord's
	// 3 s window.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(b.ctx()), respondTimeout)
	defer cancel()
	start := time.Now()
	resp := b.answer(ctx, i)
	if err := b.respond(ctx, i, resp); err != nil {
		b.log.Warn("discord: answering interaction failed", "interaction", i.ID, "type", int(i.Type), "err", redact(b.apiError(err), i.Token))
		return
	}
	b.log.Debug("discord: answered", "interaction", i.ID, "type", int(i.Type), "response", int(resp.Type), "took", time.Since(start))
}

// autocompleteResult is the type 8 callback body. discordgo's
// InteractionResponseData drops an empty choices list (omitempty) and adds
// message fields; Discord expects {"choices": [...]}, possibly empty.
type autocompleteResult struct {
	Type discordgo.InteractionResponseType `json:"type"`
	Data struct {
		Choices []*discordgo.ApplicationCommandOptionChoice `json:"choices"`
	} `json:"data"`
}

// respond posts the callback: InteractionRespond for messages and updates,
// the same request with the exact body for autocomplete results.
func (b *Bot) respond(ctx context.Context, i *discordgo.Interaction, resp *discordgo.InteractionResponse) error {
	if resp.Data != nil && len(resp.Data.Files) > 0 {
		return b.respondWithFiles(ctx, i, resp)
	}
	if resp.Type != discordgo.InteractionApplicationCommandAutocompleteResult {
		return b.rest.InteractionRespond(i, resp, discordgo.WithContext(ctx))
	}
	endpoint := discordgo.EndpointInteractionResponse(i.ID, i.Token)
	_, err := b.rest.RequestWithBucketID("POST", endpoint, callbackBody(resp), endpoint, discordgo.WithContext(ctx))
	return err
}

// callbackBody is the JSON body of a callback: resp itself, or for an
// autocomplete result exactly {"type":8,"data":{"choices":[...]}}.
func callbackBody(resp *discordgo.InteractionResponse) any {
	if resp.Type != discordgo.InteractionApplicationCommandAutocompleteResult {
		return resp
	}
	var body autocompleteResult
	body.Type = resp.Type
	body.Data.Choices = []*discordgo.ApplicationCommandOptionChoice{}
	if resp.Data != nil && resp.Data.Choices != nil {
		body.Data.Choices = resp.Data.Choices
	}
	return body
}

// answer builds the callback for an interaction. It never panics and never
// returns nil.
func (b *Bot) answer(ctx context.Context, i *discordgo.Interaction) (resp *discordgo.InteractionResponse) {
	defer func() {
		if p := recover(); p != nil {
			b.log.Error("discord: panic while answering", "interaction", i.ID, "panic", p, "stack", string(debug.Stack()))
			if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
				resp = choicesResponse(nil)
				return
			}
			w := b.eng.Words(string(i.Locale))
			resp = problem(reply.StatusInternal, w.T("error.internal"), w.T("error.internal.body")).
				response(discordgo.InteractionResponseChannelMessageWithSource)
		}
	}()
	switch d := i.Data.(type) {
	case discordgo.ApplicationCommandInteractionData:
		if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
			return b.autocomplete(ctx, i, d)
		}
		return b.command(ctx, i, d)
	case discordgo.MessageComponentInteractionData:
		return b.component(ctx, i, d)
	}
	if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
		return choicesResponse(nil)
	}
	w := b.eng.Words(string(i.Locale))
	return problem(reply.StatusInvalid, w.T("discord.unsupported"), w.T("discord.unsupported.body")).
		response(discordgo.InteractionResponseChannelMessageWithSource)
}

func (b *Bot) command(ctx context.Context, i *discordgo.Interaction, d discordgo.ApplicationCommandInteractionData) *discordgo.InteractionResponse {
	req, err := b.buildRequest(d.Name, d.Options, i.GuildID)
	if err != nil {
		return inputProblem(err, b.eng.Words(string(i.Locale))).response(discordgo.InteractionResponseChannelMessageWithSource)
	}
	req.Caller = b.caller(i)
	if req.Command == "subscribe" && botCannotPost(i) {
		w := b.eng.Words(string(i.Locale))
		return problem(reply.StatusInvalid, w.T("discord.cannot_post"), w.T("discord.cannot_post.body")).
			response(discordgo.InteractionResponseChannelMessageWithSource)
	}
	if req.Command == "alert" && req.Caller.Private && req.Caller.UserID != "" && !req.Options.Has("off") {
		// A person's alert goes to the bot's DM with them, whichever
		// private channel the command came from; Discord refuses to open
		// one with a user who shares no server with the bot or blocks it.
		dm, err := b.rest.UserChannelCreate(req.Caller.UserID, discordgo.WithContext(ctx))
		if err != nil {
			b.log.Info("discord: cannot open a DM for an alert", "err", redact(b.apiError(err), i.Token))
			w := b.eng.Words(string(i.Locale))
			return problem(reply.StatusInvalid, w.T("discord.cannot_dm"), w.T("discord.cannot_dm.body")).
				response(discordgo.InteractionResponseChannelMessageWithSource)
		}
		req.Caller.Destination = dm.ID
	}
	return b.render(b.eng.Handle(ctx, req)).response(discordgo.InteractionResponseChannelMessageWithSource)
}

// component handles a button. A pager press replaces the message in place
// (UPDATE_MESSAGE). An action press (a moderator's Post or Cancel) runs the
// action as the presser, so only a press the engine accepts does anything,
// and replaces the preview by the result, its buttons shown disabled (or the
// result's own buttons); a refusal or failure goes to the presser alone and
// leaves the message as it was.
func (b *Bot) component(ctx context.Context, i *discordgo.Interaction, d discordgo.MessageComponentInteractionData) *discordgo.InteractionResponse {
	w := b.eng.Words(string(i.Locale))
	expired := problem(reply.StatusInvalid, w.T("button.expired.title"), w.T("button.expired")).
		response(discordgo.InteractionResponseChannelMessageWithSource)
	if p, ok := parseActionID(d.CustomID); ok {
		if !b.names[p.command] {
			return expired
		}
		rep := b.eng.Command(ctx, p.command, p.args, 0, b.caller(i))
		m := b.render(rep)
		if rep.Status != reply.StatusOK {
			m.Ephemeral = true
			return m.response(discordgo.InteractionResponseChannelMessageWithSource)
		}
		// The result's own buttons, else the pressed ones greyed out: used,
		// and seen to be.
		if len(m.Components) == 0 && i.Message != nil {
			if off := disabled(i.Message.Components); len(off) > 0 {
				m.Components = off
			}
		}
		return m.response(discordgo.InteractionResponseUpdateMessage)
	}
	p, ok := parsePagerID(d.CustomID)
	if _, known := b.specByID[p.command]; !ok || !known {
		return expired
	}
	m := b.render(b.eng.Command(ctx, p.command, p.args, p.page, b.caller(i)))
	if m.Ephemeral {
		return m.response(discordgo.InteractionResponseChannelMessageWithSource)
	}
	return m.response(discordgo.InteractionResponseUpdateMessage)
}

// autocomplete answers the focused option: NOC codes and titles from the
// engine, or categories when they do not fit as fixed choices.
func (b *Bot) autocomplete(ctx context.Context, i *discordgo.Interaction, d discordgo.ApplicationCommandInteractionData) *discordgo.InteractionResponse {
	spec, opts, ok := b.resolveSpec(d.Name, d.Options)
	if !ok {
		return choicesResponse(nil)
	}
	var focused *discordgo.ApplicationCommandInteractionDataOption
	for _, o := range opts {
		if o != nil && o.Focused {
			focused = o
			break
		}
	}
	if focused == nil {
		return choicesResponse(nil)
	}
	arg, ok := spec.Arg(focused.Name)
	if !ok {
		return choicesResponse(nil)
	}
	typed, _ := focused.Value.(string)
	typed = oneLine(typed)
	switch arg.Type {
	case commands.ArgNOC:
		return choicesResponse(b.eng.CompleteNOC(ctx, typed, string(i.Locale), maxChoices))
	case commands.ArgCategory:
		return choicesResponse(filterChoices(commands.CategoryChoices(), typed))
	}
	return choicesResponse(nil)
}

// filterChoices keeps the choices whose value or name contains typed
// (case-insensitive), prefix matches first.
func filterChoices(cs []commands.Choice, typed string) []commands.Choice {
	q := strings.ToLower(typed)
	var prefix, inner []commands.Choice
	for _, c := range cs {
		v, n := strings.ToLower(c.Value), strings.ToLower(c.Name)
		switch {
		case strings.HasPrefix(v, q) || strings.HasPrefix(n, q):
			prefix = append(prefix, c)
		case strings.Contains(v, q) || strings.Contains(n, q):
			inner = append(inner, c)
		}
	}
	return append(prefix, inner...)
}

// choicesResponse is an autocomplete result within Discord's rules: at most
// 25 choices, names 1-100 and values ≤100 characters (values are never
// clipped, since a clipped value would mean something else).
func choicesResponse(cs []commands.Choice) *discordgo.InteractionResponse {
	out := []*discordgo.ApplicationCommandOptionChoice{}
	for _, c := range cs {
		if len(out) == maxChoices {
			break
		}
		name := clip(oneLine(c.Name), maxChoiceName)
		if c.Value == "" || textLen(c.Value) > maxChoiceValue {
			continue
		}
		if name == "" {
			name = c.Value
		}
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: name, Value: c.Value})
	}
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: out},
	}
}

// problem is an ephemeral message for the user alone.
func problem(st reply.Status, title, text string) message {
	return render(reply.Reply{Status: st, Title: title, Summary: text, Private: true}, i18n.Printer{})
}

func inputProblem(err error, w i18n.Printer) message {
	var ie *inputError
	if errors.As(err, &ie) {
		return problem(reply.StatusInvalid, w.T("discord.check_input"), w.T(ie.id, ie.args...))
	}
	return problem(reply.StatusInternal, w.T("error.internal"), w.T("error.internal.body"))
}

// redact removes an interaction token from an error text (discordgo puts
// request URLs, which carry it, into some errors) before it is logged.
func redact(err error, token string) string {
	s := err.Error()
	if token != "" {
		s = strings.ReplaceAll(s, token, "<token>")
	}
	return s
}

// render renders r with the words of its language.
func (b *Bot) render(r reply.Reply) message { return render(r, b.eng.Words(r.Lang)) }
