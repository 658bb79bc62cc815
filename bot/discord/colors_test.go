package discord

import "github.com/eebot/eebot/internal/palette"

// categoryColors are the embeds' colours, which the charts share.
var categoryColors = palette.All()
