package discord

import (
	"github.com/bwmarrin/discordgo"

	"github.com/eebot/eebot/commands"
)

// managePerms are the permissions that let a member change a channel's
// subscriptions. Discord resolves member.permissions per channel (role
// overwrites included) for interactions, so this is the right check.
const managePerms = discordgo.PermissionManageChannels | discordgo.PermissionAdministrator

// postPerms are what the bot needs in a channel to post a draw card there.
const postPerms = discordgo.PermissionViewChannel | discordgo.PermissionSendMessages | discordgo.PermissionEmbedLinks

// caller says who sent an interaction and from where. In a DM nobody can
// manage anything; Moderator comes from Config.Moderators.
func (b *Bot) caller(i *discordgo.Interaction) commands.Caller {
	c := commands.Caller{Platform: "discord", Destination: i.ChannelID, Guild: i.GuildID, Locale: requestLocale(i.Locale)}
	switch {
	case i.Member != nil && i.Member.User != nil:
		c.UserID = i.Member.User.ID
		c.CanManage = i.GuildID != "" && i.Member.Permissions&managePerms != 0
	case i.User != nil:
		c.UserID = i.User.ID
		c.Private = true
	}
	if i.GuildID == "" {
		c.Private, c.CanManage = true, false
	}
	if c.UserID != "" && b.cfg.Moderators != nil {
		c.Moderator = b.cfg.Moderators(c.UserID)
	}
	return c
}

// botCannotPost reports whether the interaction says the bot lacks what it
// needs to post in the channel. app_permissions is always sent by Discord;
// 0 (absent, e.g. from an old fake) is taken as unknown, not as none.
func botCannotPost(i *discordgo.Interaction) bool {
	if i.GuildID == "" || i.AppPermissions == 0 {
		return false
	}
	p := i.AppPermissions
	if p&discordgo.PermissionAdministrator != 0 {
		return false
	}
	return p&postPerms != postPerms
}
