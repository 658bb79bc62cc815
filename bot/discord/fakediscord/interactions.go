package fakediscord

import (
	"fmt"
	"strconv"
	"sync/atomic"
)

// Interaction types and option types, as numbers on the wire.
const (
	TypeCommand      = 2
	TypeComponent    = 3
	TypeAutocomplete = 4

	OptSubCommand = 1
	OptString     = 3
	OptInteger    = 4
	OptRole       = 8
)

// Permission bits for Interaction.Permissions.
const (
	PermAdministrator  = 1 << 3
	PermManageChannels = 1 << 4
	PermManageGuild    = 1 << 5
)

// Option is one option of a slash command interaction.
type Option struct {
	Name    string
	Type    int // OptString, OptInteger, …; 0 means OptString
	Value   any
	Focused bool
}

// Interaction describes an INTERACTION_CREATE to push. Zero fields get
// defaults: a fresh ID and token, a guild member in GuildID/ChannelID, en-US.
type Interaction struct {
	ID       string
	Token    string
	Type     int // TypeCommand when 0
	Name     string
	Sub      string // a subcommand: Options go inside it ("draw add")
	Options  []Option
	CustomID string // for TypeComponent
	// MessageComponents are the pressed message's components as Discord
	// sends them with a press (TypeComponent), e.g. the "components" of the
	// callback that created the message; nil sends none.
	MessageComponents any
	DM                bool   // user instead of member, no guild
	ChannelID         string // "" = ChannelID (or a DM channel)
	Locale            string
	UserID            string
	Username          string
	// Permissions are the member's permissions in the channel, as Discord
	// resolves them for the interaction (e.g. PermManageChannels); 0 = none.
	Permissions int64
	// AppPermissions are the bot's; "" means all (2147483647).
	AppPermissions string
}

var idSeq atomic.Int64

// NextID returns a fresh snowflake-like id.
func NextID() string { return fmt.Sprintf("5%017d", idSeq.Add(1)) }

// Payload returns the interaction's gateway "d" object.
func (in *Interaction) Payload() map[string]any {
	if in.ID == "" {
		in.ID = NextID()
	}
	if in.Token == "" {
		in.Token = "itok-" + in.ID
	}
	if in.Type == 0 {
		in.Type = TypeCommand
	}
	if in.Locale == "" {
		in.Locale = "en-US"
	}
	if in.UserID == "" {
		in.UserID = UserID
	}
	if in.Username == "" {
		in.Username = "alice"
	}
	user := map[string]any{"id": in.UserID, "username": in.Username, "discriminator": "0"}
	d := map[string]any{
		"id": in.ID, "application_id": AppID, "type": in.Type, "token": in.Token, "version": 1,
		"locale": in.Locale, "app_permissions": "2147483647",
	}
	if in.AppPermissions != "" {
		d["app_permissions"] = in.AppPermissions
	}
	if in.DM {
		d["channel_id"] = "310000000000000001"
		if in.ChannelID != "" {
			d["channel_id"] = in.ChannelID
		}
		d["user"] = user
		d["context"] = 1
	} else {
		d["guild_id"] = GuildID
		d["guild_locale"] = "en-US"
		d["channel_id"] = ChannelID
		if in.ChannelID != "" {
			d["channel_id"] = in.ChannelID
		}
		d["member"] = map[string]any{"user": user, "roles": []string{}, "permissions": strconv.FormatInt(in.Permissions, 10), "joined_at": "2024-01-01T00:00:00Z"}
		d["context"] = 0
	}
	switch in.Type {
	case TypeComponent:
		d["data"] = map[string]any{"custom_id": in.CustomID, "component_type": 2}
		d["message"] = map[string]any{"id": "900000000000000001", "channel_id": d["channel_id"], "content": "",
			"author": map[string]any{"id": BotUserID, "username": "eebot", "bot": true}, "timestamp": "2026-08-20T12:00:00Z"}
		if in.MessageComponents != nil {
			d["message"].(map[string]any)["components"] = in.MessageComponents
		}
	default:
		opts := make([]map[string]any, 0, len(in.Options))
		for _, o := range in.Options {
			t := o.Type
			if t == 0 {
				t = OptString
			}
			m := map[string]any{"name": o.Name, "type": t, "value": o.Value}
			if o.Focused {
				m["focused"] = true
			}
			opts = append(opts, m)
		}
		if in.Sub != "" {
			opts = []map[string]any{{"name": in.Sub, "type": OptSubCommand, "options": opts}}
		}
		d["data"] = map[string]any{"id": "700000000000000001", "name": in.Name, "type": 1, "options": opts}
	}
	return d
}

// Push dispatches the interaction as INTERACTION_CREATE and returns its id.
func (s *Server) Push(in Interaction) (string, error) {
	d := in.Payload()
	_, err := s.Dispatch("INTERACTION_CREATE", d)
	return in.ID, err
}
