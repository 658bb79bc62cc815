package commands

import (
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/i18n"
)

// Request is one command invocation, whatever the platform.
type Request struct {
	Command string  // a Spec's Key: "cutoff", "draw add"
	Options Options // named values, checked against the Spec before the handler runs
	Page    int     // a pager's page; 0 means none was pressed
	Caller  Caller

	p i18n.Printer // the answer's language, set by the engine
}

// Caller is who sent a request and from where, as the adapter established
// it. Commands that change anything check it; the rest ignore it.
type Caller struct {
	Platform    domain.Platform // "" on the console
	UserID      string
	Destination string // the channel or chat the request came from
	Private     bool   // a direct message
	// Guild is the Discord server the request came from ("" elsewhere); its
	// ID is also its @everyone role's, which no subscription may ping.
	Guild string
	// CanManage: the adapter checked that the user may manage Destination
	// (Discord Manage Channels; Telegram creator or administrator).
	CanManage bool
	// Moderator: the user is one of the bot's configured moderators.
	Moderator bool
	// Locale is "fr" when the platform says the person reads French.
	Locale string
}
