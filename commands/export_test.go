package commands

// ParseText exposes the question parser to the external tests.
func ParseText(e *Engine, text string) (cmd, args string, ok bool) { return e.parseText(text) }

// Track makes Options record the names handlers read, for the test that
// every declared argument is read.
func Track(o *Options) map[string]bool {
	o.read = map[string]bool{}
	return o.read
}
