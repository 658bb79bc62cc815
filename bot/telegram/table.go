package telegram

import (
	"strings"

	"github.com/eebot/eebot/internal/reply"
	"github.com/eebot/eebot/internal/textable"
)

// renderTable lays a table out in at most width columns of monospace text
// (plain, not yet escaped), with a rule under the header.
func renderTable(t reply.Table, width int) string {
	return strings.Join(textable.Lines(t, textable.Options{Width: width, Rule: "─"}), "\n")
}
