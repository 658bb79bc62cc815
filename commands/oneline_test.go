package commands

import (
	"strings"
	"testing"
)

// oneLine returns its input unchanged only when collapsing white space
// would not change it.
func FuzzOneLine(f *testing.F) {
	for _, s := range []string{"", "cutoff stem", " cutoff", "cutoff ", "a  b", "a\tb", "a\nb", "a\u00a0b", "a\u0085b", "é è", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := oneLine(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("oneLine(%q) = %q, want %q", s, got, want)
		}
	})
}
