package i18n

import (
	"maps"
	"slices"
	"testing"
)

// T's fast path writes every message exactly as go-i18n does, in both
// languages, for every plural count and with fields of either type.
func TestFastMatchesGoI18n(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []Lang{EN, FR} {
		p := c.Printer(l)
		if len(p.msgs) < len(c.IDs(l))*9/10 {
			t.Errorf("%s: only %d of %d messages take the fast path", l, len(p.msgs), len(c.IDs(l)))
		}
		for _, id := range slices.Sorted(maps.Keys(c.IDs(l))) {
			fields := map[string]bool{}
			if m := p.msgs[id]; m != nil {
				for _, segs := range [][]segment{m.one, m.many, m.other} {
					for _, s := range segs {
						if s.field != "" {
							fields[s.field] = true
						}
					}
				}
			}
			for _, count := range []any{nil, 0, 1, 2, -1, 21, 1000000, 2000000, "1"} {
				for _, asInt := range []bool{false, true} {
					var kv []any
					for f := range fields {
						var v any = "«" + f + "»"
						if asInt {
							v = 1234
						}
						kv = append(kv, f, v)
					}
					if count != nil {
						kv = append(kv, "Count", count)
					}
					want := p.slowT(id, kv...)
					if got := p.T(id, kv...); got != want {
						t.Errorf("%s %s %v: fast %q, go-i18n %q", l, id, kv, got, want)
					}
				}
			}
		}
	}
}

func TestSegments(t *testing.T) {
	for src, ok := range map[string]bool{
		"plain":                     true,
		"{{.A}} and {{ .B }}.":      true,
		"{{.A | printf}}":           false,
		"{{if .A}}x{{end}}":         false,
		"{{- .A}}":                  false,
		"{{.A -}}":                  false,
		"{{.A":                      false,
		"{{/* c */}}":               false,
		"{{.A.B}}":                  false,
		"{{$}}":                     false,
		"a }} b":                    true,
		"{{.Count}} draws{{.Rest}}": true,
	} {
		if _, got := segments(src); got != ok {
			t.Errorf("segments(%q) ok = %v, want %v", src, got, ok)
		}
	}
}
