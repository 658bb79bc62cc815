package discord

import (
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/reply"
)

// categoryColors gives every category and program its embed colour.
var categoryColors = map[domain.Key]int{
	domain.Healthcare:     0xD9534F,
	domain.STEM:           0x3498DB,
	domain.Trades:         0xE67E22,
	domain.Transport:      0xF1C40F,
	domain.Agriculture:    0x2ECC71,
	domain.French:         0x1F4E9C,
	domain.Education:      0x9B59B6,
	domain.Physicians:     0xC0392B,
	domain.SeniorManagers: 0x34495E,
	domain.Military:       0x556B2F,
	domain.Researchers:    0x16A085,
	domain.CEC:            0xE91E63,
	domain.PNP:            0x8E44AD,
	domain.FSW:            0x2980B9,
	domain.FST:            0xD35400,
	domain.General:        0x7F8C8D,
	domain.NoProgram:      0x95A5A6,
	domain.Unmapped:       0xBDC3C7,
}

const (
	colorDefault  = 0x5865F2 // Discord blurple: answers with no category, help
	colorInvalid  = 0xF0B232
	colorNotFound = 0x99AAB5
	colorInternal = 0xED4245
)

// replyColor picks the embed colour: the category's for answers, the
// status's otherwise.
func replyColor(r reply.Reply) int {
	switch r.Status {
	case reply.StatusOK:
		if c, ok := categoryColors[domain.Key(r.Category)]; ok {
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
