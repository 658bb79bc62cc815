package discord

import (
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/eebot/eebot/internal/reply"
)

// Action buttons carry the request they send in the custom_id:
// "act|<command>|<args>", e.g. "act|announce|post 437". The press is run as
// whoever pressed (Caller built from the press), so the engine's own checks
// decide, and nothing is kept server-side.
const actionPrefix = "act|"

// maxButtonsPerRow is Discord's limit; five rows of five at most.
const (
	maxButtonsPerRow = 5
	maxRows          = 5
)

func actionID(a reply.Action) string {
	return actionPrefix + a.Command + "|" + a.Args
}

// press is what a button sends back: a command typed as text, and a page.
type press struct {
	command, args string
	page          int
}

// parseActionID reads a custom_id made by actionID.
func parseActionID(id string) (press, bool) {
	rest, ok := strings.CutPrefix(id, actionPrefix)
	if !ok || len(id) > maxCustomID {
		return press{}, false
	}
	cmd, args, ok := strings.Cut(rest, "|")
	if !ok || cmd == "" {
		return press{}, false
	}
	return press{command: cmd, args: args}, true
}

// actionButtons renders a reply's actions, five to a row; a Danger action
// is red, the others primary. An action whose custom_id would exceed 100
// characters, or that repeats another's, is left out (Discord would reject
// the whole message).
func actionButtons(as []reply.Action) []discordgo.MessageComponent {
	var rows []discordgo.MessageComponent
	var row []discordgo.MessageComponent
	seen := map[string]bool{}
	flush := func() {
		if len(row) > 0 {
			rows = append(rows, discordgo.ActionsRow{Components: row})
			row = nil
		}
	}
	for _, a := range as {
		id := actionID(a)
		if a.Command == "" || len(id) > maxCustomID || seen[id] || strings.ContainsAny(a.Command, "|") {
			continue
		}
		seen[id] = true
		style := discordgo.PrimaryButton
		if a.Danger {
			style = discordgo.DangerButton
		}
		label := clip(oneLine(a.Label), maxButtonLabel)
		if label == "" {
			label = a.Command
		}
		row = append(row, discordgo.Button{Label: label, Style: style, CustomID: id})
		if len(row) == maxButtonsPerRow {
			flush()
		}
		if len(rows) == maxRows {
			break
		}
	}
	flush()
	if len(rows) > maxRows {
		rows = rows[:maxRows]
	}
	return rows
}

// disabled returns the buttons of a message's rows, disabled, for the
// update that answers a press of one of them.
func disabled(rows []discordgo.MessageComponent) []discordgo.MessageComponent {
	var out []discordgo.MessageComponent
	for _, r := range rows {
		var cs []discordgo.MessageComponent
		switch r := r.(type) {
		case *discordgo.ActionsRow:
			cs = r.Components
		case discordgo.ActionsRow:
			cs = r.Components
		}
		var row []discordgo.MessageComponent
		for _, c := range cs {
			switch b := c.(type) {
			case *discordgo.Button:
				off := *b
				off.Disabled = true
				row = append(row, off)
			case discordgo.Button:
				b.Disabled = true
				row = append(row, b)
			}
		}
		if len(row) > 0 {
			out = append(out, discordgo.ActionsRow{Components: row})
		}
	}
	return out
}
