package discord

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/reply"
	"github.com/eebot/eebot/internal/textable"
)

// message is a Reply rendered for Discord.
type message struct {
	Embed      *discordgo.MessageEmbed
	Components []discordgo.MessageComponent // never nil: [] clears old buttons on an update
	Ephemeral  bool
	Image      *reply.Image // uploaded with the message, shown in the embed
}

// noMentions is sent with every message: nothing in it can ping anyone.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// codeWidth is the widest table line in a code block: about what a 360-px
// phone shows without wrapping.
const codeWidth = 34

// render turns an engine reply into one embed (within every Discord limit),
// pager and action buttons and the ephemeral decision. w writes the few
// words the adapter adds (button labels, "Try:"), in the reply's language.
func render(r reply.Reply, w i18n.Printer) message {
	if r.Image != nil {
		// With a picture the embed keeps its headline, summary and note
		// and leaves the details to the picture and its alt text, so the
		// chart shows without scrolling.
		r.Lines, r.Table = nil, nil
	}
	e := &discordgo.MessageEmbed{
		Type:  discordgo.EmbedTypeRich,
		Title: escapeMarkdown(oneLine(r.Title)),
		Color: replyColor(r),
	}
	if e.Title == "" {
		e.Title = "eebot"
	}
	if okURL(r.URL) {
		e.URL = r.URL
	}
	for _, f := range r.Fields {
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{
			Name:   escapeMarkdown(oneLine(f.Name)),
			Value:  escapeMarkdown(f.Value),
			Inline: f.Inline,
		})
	}
	e.Description = description(r, w)
	if ft := footer(r, w); ft != "" {
		e.Footer = &discordgo.MessageEmbedFooter{Text: ft}
	}
	fitEmbed(e)
	components := append(pagerButtons(r.Pager, w), actionButtons(r.Actions)...)
	if len(components) > maxRows {
		components = components[:maxRows]
	}
	m := message{
		Embed:      e,
		Components: components,
		Ephemeral:  r.Private || r.Status != reply.StatusOK,
	}
	withImage(&m, r.Image)
	return m
}

// description joins summary, bullets, table, links, suggestions and note;
// the table gets whatever room the rest leaves, row by row.
func description(r reply.Reply, w i18n.Printer) string {
	var head, tail []string
	if s := strings.TrimSpace(r.Summary); s != "" {
		head = append(head, escapeMarkdown(s))
	}
	if len(r.Lines) > 0 {
		bullets := make([]string, 0, len(r.Lines))
		for _, l := range r.Lines {
			if l = strings.TrimSpace(l); l != "" {
				bullets = append(bullets, "• "+escapeMarkdown(oneLine(l)))
			}
		}
		if len(bullets) > 0 {
			head = append(head, strings.Join(bullets, "\n"))
		}
	}
	var links []string
	for _, l := range r.MoreLinks() {
		if okURL(l.URL) && strings.TrimSpace(l.Label) != "" {
			links = append(links, "["+escapeMarkdown(oneLine(l.Label))+"]("+linkTarget(l.URL)+")")
		}
	}
	if len(links) > 0 {
		tail = append(tail, strings.Join(links, " · "))
	}
	if len(r.Choices) > 0 && len(r.Actions) == 0 {
		tries := make([]string, 0, len(r.Choices))
		for _, c := range r.Choices {
			if c = strings.TrimSpace(strings.ReplaceAll(c, "`", "'")); c != "" {
				tries = append(tries, "`"+oneLine(c)+"`")
			}
		}
		if len(tries) > 0 {
			tail = append(tail, w.T("try", "List", strings.Join(tries, " · ")))
		}
	}
	if n := strings.TrimSpace(r.Note); n != "" {
		tail = append(tail, "_"+escapeMarkdown(n)+"_")
	}
	const sep = "\n\n"
	used := 0
	for _, p := range append(append([]string(nil), head...), tail...) {
		used += textLen(p) + textLen(sep)
	}
	parts := head
	if r.Table != nil && len(r.Table.Rows)+len(r.Table.Header) > 0 {
		if t := renderTable(*r.Table, maxDescription-used); t != "" {
			parts = append(parts, t)
		}
	}
	parts = append(parts, tail...)
	return strings.Join(parts, sep)
}

// renderTable draws t as a fixed-width ``` block of at most budget units,
// dropping rows from the end (with a "… n more" line) when it must.
func renderTable(t reply.Table, budget int) string {
	all := textable.Lines(t, textable.Options{Width: codeWidth, Gap: 2, Rule: "-", Cell: escapeCode})
	if len(all) == 0 {
		return ""
	}
	head := 0
	if len(t.Header) > 0 {
		head = 2 // the header and its rule
	}
	lines, rows := all[:head], all[head:]
	frame := textLen(codeFence+"\n") + textLen("\n"+codeFence)
	used := frame
	for _, l := range lines {
		used += textLen(l) + 1
	}
	if used > budget {
		return ""
	}
	reserve := textLen("… 99999 more") + 1 // room to say how many rows were left out
	for i, l := range rows {
		need := textLen(l) + 1
		last := i == len(rows)-1
		if used+need > budget || (!last && used+need+reserve > budget) {
			if used+reserve <= budget {
				lines = append(lines, "… "+strconv.Itoa(len(rows)-i)+" more")
			}
			break
		}
		lines = append(lines, l)
		used += need
	}
	return codeFence + "\n" + strings.Join(lines, "\n") + "\n" + codeFence
}

// footer is the page and the reply's source line, whichever exist: one
// date, no embed timestamp beside it.
func footer(r reply.Reply, w i18n.Printer) string {
	var parts []string
	if p := r.Pager; p != nil && p.Pages > 1 {
		parts = append(parts, w.T("page", "Page", p.Page, "Pages", p.Pages))
	}
	if f := strings.TrimSpace(r.Footer); f != "" {
		parts = append(parts, oneLine(f))
	}
	return strings.Join(parts, " · ")
}

func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return strings.TrimSpace(s)
	}
	return strings.Join(strings.Fields(s), " ")
}

// okURL accepts absolute http(s) URLs only: Discord rejects a message whose
// embed URL is anything else.
func okURL(s string) bool {
	if s == "" || len(s) > 2048 {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// linkTarget makes a URL safe inside markdown (…) link syntax.
func linkTarget(s string) string {
	r := strings.NewReplacer("(", "%28", ")", "%29", " ", "%20")
	return r.Replace(s)
}

// flags maps the ephemeral decision to message flags.
func (m message) flags() discordgo.MessageFlags {
	if m.Ephemeral {
		return discordgo.MessageFlagsEphemeral
	}
	return 0
}

// response is the interaction callback carrying m.
func (m message) response(t discordgo.InteractionResponseType) *discordgo.InteractionResponse {
	data := &discordgo.InteractionResponseData{
		Embeds:          []*discordgo.MessageEmbed{m.Embed},
		Components:      m.Components,
		AllowedMentions: noMentions(),
		Files:           m.files(),
	}
	if t == discordgo.InteractionResponseChannelMessageWithSource {
		data.Flags = m.flags()
	}
	return &discordgo.InteractionResponse{Type: t, Data: data}
}
