package discord

import (
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/reply"
)

// Pager buttons carry their whole state in the custom_id:
// "pg|<command>|<args>|<page>", e.g. "pg|history|healthcare|2". Nothing is
// kept server-side, so buttons survive restarts and work on any replica.
const pagerPrefix = "pg|"

// maxPage bounds the page a custom_id may ask for.
const maxPage = 10000

func pagerID(command, args string, page int) string {
	return pagerPrefix + command + "|" + args + "|" + strconv.Itoa(page)
}

// parsePagerID reads a custom_id made by pagerID. Args may contain "|".
func parsePagerID(id string) (press, bool) {
	rest, ok := strings.CutPrefix(id, pagerPrefix)
	if !ok || len(id) > maxCustomID {
		return press{}, false
	}
	cmd, rest, ok := strings.Cut(rest, "|")
	if !ok || cmd == "" {
		return press{}, false
	}
	i := strings.LastIndexByte(rest, '|')
	if i < 0 {
		return press{}, false
	}
	page, err := strconv.Atoi(rest[i+1:])
	if err != nil || page < 1 || page > maxPage {
		return press{}, false
	}
	return press{command: cmd, args: rest[:i], page: page}, true
}

// pagerButtons renders Previous/Next for a paged reply; the button that
// would leave the range is disabled (and still has a distinct custom_id, as
// Discord requires). Returns an empty list when there is nothing to page or
// the state does not fit in a custom_id.
func pagerButtons(p *reply.Pager, w i18n.Printer) []discordgo.MessageComponent {
	none := []discordgo.MessageComponent{}
	if p == nil || p.Pages <= 1 || p.Command == "" {
		return none
	}
	prev := pagerID(p.Command, p.Args, max(p.Page-1, 0))
	next := pagerID(p.Command, p.Args, p.Page+1)
	if len(prev) > maxCustomID || len(next) > maxCustomID {
		return none
	}
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: w.T("button.prev"), Style: discordgo.SecondaryButton, CustomID: prev, Disabled: !p.HasPrev()},
		discordgo.Button{Label: w.T("button.next"), Style: discordgo.SecondaryButton, CustomID: next, Disabled: !p.HasNext()},
	}}}
}
