package discord

import (
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/palette"
	"github.com/eebot/eebot/internal/reply"
)

const (
	colorDefault  = palette.Default // Discord blurple: answers with no category, help
	colorInvalid  = 0xF0B232
	colorNotFound = 0x99AAB5
	colorInternal = 0xED4245
)

// replyColor picks the embed colour: the category's for answers, the
// status's otherwise.
func replyColor(r reply.Reply) int {
	switch r.Status {
	case reply.StatusOK:
		if c, ok := palette.Category(domain.Key(r.Category)); ok { // the charts use the same colours
			return c
		}
		return colorDefault
	case reply.StatusInvalid:
		return colorInvalid
	case reply.StatusNotFound:
		return colorNotFound
	case reply.StatusInternal:
		return colorInternal
	}
	return colorDefault
}
