package discord

import (
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// Discord's message limits (docs: resources/message, interactions). Lengths
// are counted in UTF-16 code units, which is never fewer than Discord's
// character count, so a text that fits here fits there.
const (
	maxContent          = 2000
	maxEmbedTotal       = 6000
	maxTitle            = 256
	maxDescription      = 4096
	maxFields           = 25
	maxFieldName        = 256
	maxFieldValue       = 1024
	maxFooter           = 2048
	maxAuthorName       = 256
	maxChoices          = 25
	maxChoiceName       = 100
	maxChoiceValue      = 100
	maxCustomID         = 100
	maxCommandDesc      = 100
	maxButtonLabel      = 80
	ellipsis            = "…"
	zeroWidthSpace      = "\u200b"
	codeFence           = "```"
	minDescriptionShown = 64 // when shrinking to fit the total, keep at least this much
)

// textLen is a string's length as Discord limits count it (conservatively).
func textLen(s string) int {
	n := 0
	for _, r := range s { // invalid bytes come out as U+FFFD: one unit
		n += utf16.RuneLen(r)
	}
	return n
}

// clip shortens s to at most max units, cutting at a rune boundary, dropping
// trailing spaces and ending with an ellipsis. s is returned as is if it fits.
func clip(s string, max int) string {
	if max <= 0 {
		return ""
	}
	if textLen(s) <= max {
		return s
	}
	budget := max - textLen(ellipsis)
	n, cut := 0, 0
	for cut < len(s) {
		r, size := utf8.DecodeRuneInString(s[cut:])
		if n+utf16.RuneLen(r) > budget {
			break
		}
		n += utf16.RuneLen(r)
		cut += size
	}
	return strings.TrimRightFunc(s[:cut], unicode.IsSpace) + ellipsis
}

// clipMarkdown is clip for text that may hold ``` code blocks: a cut inside
// a block closes the block so the rest of the message still renders.
func clipMarkdown(s string, max int) string {
	if textLen(s) <= max {
		return s
	}
	out := clip(s, max)
	if strings.Count(out, codeFence)%2 == 0 {
		return out
	}
	const closing = "\n" + codeFence
	out = clip(s, max-textLen(closing))
	if strings.Count(out, codeFence)%2 == 1 {
		out += closing
	}
	return out
}

// nonEmpty replaces "" with a zero-width space, since Discord rejects empty
// field names and values.
func nonEmpty(s string) string {
	if strings.TrimSpace(s) == "" {
		return zeroWidthSpace
	}
	return s
}

// fitEmbed makes e satisfy every embed limit: each string on its own, at
// most 25 fields, and the 6000 total (shrinking the description first, then
// dropping fields from the end, then the footer and title).
func fitEmbed(e *discordgo.MessageEmbed) {
	if e == nil {
		return
	}
	e.Title = clip(e.Title, maxTitle)
	e.Description = clipMarkdown(e.Description, maxDescription)
	if len(e.Fields) > maxFields {
		e.Fields = e.Fields[:maxFields]
	}
	for _, f := range e.Fields {
		f.Name = clip(nonEmpty(f.Name), maxFieldName)
		f.Value = clipMarkdown(nonEmpty(f.Value), maxFieldValue)
	}
	if e.Footer != nil {
		e.Footer.Text = clip(e.Footer.Text, maxFooter)
	}
	if e.Author != nil {
		e.Author.Name = clip(e.Author.Name, maxAuthorName)
	}

	over := embedLen(e) - maxEmbedTotal
	if over <= 0 {
		return
	}
	if d := textLen(e.Description); d > minDescriptionShown {
		e.Description = clipMarkdown(e.Description, max(minDescriptionShown, d-over))
		if over = embedLen(e) - maxEmbedTotal; over <= 0 {
			return
		}
	}
	for len(e.Fields) > 0 && over > 0 {
		e.Fields = e.Fields[:len(e.Fields)-1]
		over = embedLen(e) - maxEmbedTotal
	}
	if over > 0 && e.Footer != nil {
		e.Footer.Text = clip(e.Footer.Text, max(0, textLen(e.Footer.Text)-over))
		over = embedLen(e) - maxEmbedTotal
	}
	if over > 0 {
		e.Description = clipMarkdown(e.Description, max(0, textLen(e.Description)-over))
		over = embedLen(e) - maxEmbedTotal
	}
	if over > 0 {
		e.Title = clip(e.Title, max(0, textLen(e.Title)-over))
	}
}

// embedLen counts what Discord sums for the 6000 limit.
func embedLen(e *discordgo.MessageEmbed) int {
	n := textLen(e.Title) + textLen(e.Description)
	for _, f := range e.Fields {
		n += textLen(f.Name) + textLen(f.Value)
	}
	if e.Footer != nil {
		n += textLen(e.Footer.Text)
	}
	if e.Author != nil {
		n += textLen(e.Author.Name)
	}
	return n
}

// fitContent clips message content to 2000.
func fitContent(s string) string { return clipMarkdown(s, maxContent) }
