package commands

// Request is one command invocation, whatever the platform.
type Request struct {
	Command string // "eligible", "cutoff", … (lower case, no slash)
	Args    string // the rest of the line, e.g. "33109" or "470 healthcare"
	Page    int    // for paged commands; 0 means the first page
	Locale  string // "fr" for French where the platform says so; answers are English for now
	Caller  Caller
}

// Caller is who sent a request and from where, as the adapter established
// it. Commands that change anything check it; the rest ignore it.
type Caller struct {
	Platform    string // "discord", "telegram"; "" on the console
	UserID      string
	Destination string // the channel or chat the request came from
	Private     bool   // a direct message
	// CanManage: the adapter checked that the user may manage Destination
	// (Discord Manage Channels; Telegram creator or administrator).
	CanManage bool
	// Moderator: the user is one of the bot's configured moderators.
	Moderator bool
}
