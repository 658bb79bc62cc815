// Package palette holds the colour of every category and program, so the
// Discord embeds and the charts draw a category in the same colour.
package palette

import "github.com/eebot/eebot/internal/domain"

// category gives every category and program its colour, 0xRRGGBB.
var category = map[domain.Key]int{
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

// Default is the colour of what belongs to no category (the pool, help):
// Discord's blurple.
const Default = 0x5865F2

// Category returns a key's colour and whether it has one.
func Category(key domain.Key) (int, bool) {
	c, ok := category[key]
	return c, ok
}

// Of returns a key's colour, Default for a key without one.
func Of(key domain.Key) int {
	if c, ok := category[key]; ok {
		return c
	}
	return Default
}

// All returns a copy of every key's colour.
func All() map[domain.Key]int {
	out := make(map[domain.Key]int, len(category))
	for k, c := range category {
		out[k] = c
	}
	return out
}
