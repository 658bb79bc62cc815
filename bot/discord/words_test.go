package discord

import "github.com/eebot/eebot/internal/i18n"

// testWords writes the adapter's own words in English, for render tests.
var testWords = func() i18n.Printer {
	c, err := i18n.Load()
	if err != nil {
		panic(err)
	}
	return c.Printer(i18n.EN)
}()
