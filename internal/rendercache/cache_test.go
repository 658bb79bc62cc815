package rendercache

import (
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eebot/eebot/internal/reply"
)

// full is a reply with every field set, down to the nested ones.
func full() reply.Reply {
	return reply.Reply{
		Status: reply.StatusNotFound, Command: "cutoff", Lang: "fr", Title: "Draw #437", URL: "https://example.com/437",
		Category: "healthcare", Summary: "CRS 471", Fields: []reply.Field{{Name: "CRS", Value: "471", Inline: true}},
		Table: &reply.Table{Header: []string{"#", "CRS"}, Rows: [][]string{{"437", "471"}}},
		Lines: []string{"a line"}, Links: []reply.Link{{Label: "Round 437", URL: "https://example.com/r"}},
		Source: "IRCC", AsOf: "2026-01-02", Footer: "IRCC · 2026-01-02", Time: time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC),
		Note: "not advice", Private: true, Pager: &reply.Pager{Command: "draws", Args: "healthcare", Page: 2, Pages: 3},
		Choices: []string{"cutoff healthcare"}, Actions: []reply.Action{{Label: "Post", Command: "announce", Args: "post 437", Danger: true}},
		Image: &reply.Image{Name: "c.png", Type: "image/png", Data: []byte{1, 2}, Alt: "a chart", Width: 800, Height: 450, Key: "k"},
	}
}

// mutate changes the n-th leaf (string, number, bool, time) of v, counting
// from 0, and reports whether there was one.
func mutate(v reflect.Value, n *int) bool {
	if v.Type() == reflect.TypeFor[time.Time]() {
		if *n == 0 {
			v.Set(reflect.ValueOf(v.Interface().(time.Time).Add(time.Second)))
			return true
		}
		*n--
		return false
	}
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			if mutate(v.Field(i), n) {
				return true
			}
		}
		return false
	case reflect.Pointer:
		return mutate(v.Elem(), n)
	case reflect.Slice:
		for i := range v.Len() {
			if mutate(v.Index(i), n) {
				return true
			}
		}
		return false
	}
	if *n > 0 {
		*n--
		return false
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + "x")
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Int, reflect.Int64:
		v.SetInt(v.Int() + 1)
	case reflect.Uint8:
		v.SetUint(v.Uint() + 1)
	default:
		panic(fmt.Sprintf("mutate: a %s field: teach equal and hash about it", v.Kind()))
	}
	return true
}

// Every field of a reply, however deep, tells two replies apart: a field
// added to reply.Reply and forgotten here would let the cache serve one
// reply's rendering for another.
func TestEveryFieldCounts(t *testing.T) {
	base := full()
	for i, f := range reflect.VisibleFields(reflect.TypeFor[reply.Reply]()) {
		if reflect.ValueOf(base).Field(i).IsZero() {
			t.Fatalf("full() leaves %s zero", f.Name)
		}
	}
	b0 := full()
	if !equal(&base, &b0) || hash(seed, &base) != hash(seed, &b0) {
		t.Fatal("equal replies compare different")
	}
	leaves := 0
	for n := 0; ; n++ {
		r := clone(full())
		k := n
		if !mutate(reflect.ValueOf(&r).Elem(), &k) {
			break
		}
		leaves++
		if equal(&base, &r) || equal(&r, &base) {
			t.Errorf("leaf %d: a changed reply compares equal: %+v", n, r)
		}
		if hash(seed, &base) == hash(seed, &r) {
			t.Errorf("leaf %d: a changed reply hashes the same", n)
		}
	}
	if leaves < 30 {
		t.Fatalf("only %d leaves mutated", leaves)
	}
	// Shapes: a nil table or pager, one more or one less element.
	for name, f := range map[string]func(*reply.Reply){
		"no table": func(r *reply.Reply) { r.Table = nil },
		"no pager": func(r *reply.Reply) { r.Pager = nil },
		"a field":  func(r *reply.Reply) { r.Fields = append(r.Fields, reply.Field{}) },
		"a row":    func(r *reply.Reply) { r.Table.Rows = append(r.Table.Rows, nil) },
		"no lines": func(r *reply.Reply) { r.Lines = nil },
		"location": func(r *reply.Reply) { r.Time = r.Time.In(time.FixedZone("X", 0)) },
		"moved":    func(r *reply.Reply) { r.Lines, r.Choices = r.Choices, r.Lines },
	} {
		r := clone(full())
		f(&r)
		if equal(&base, &r) {
			t.Errorf("%s: compares equal", name)
		}
	}
}

func TestGetRendersOncePerContent(t *testing.T) {
	var c Cache[string]
	var calls atomic.Int64
	render := func(r reply.Reply) string { calls.Add(1); return "<" + r.Title + ">" }
	r := full()
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() {
			for range 100 {
				if got := c.Get(r, render); got != "<Draw #437>" {
					t.Errorf("got %q", got)
				}
			}
		})
	}
	wg.Wait()
	if n := calls.Load(); n < 1 || n > 64 {
		t.Fatalf("%d renders for one reply", n)
	}
	// A correction: the same draw, other content, is rendered again.
	r2 := full()
	r2.Summary = "CRS 469"
	r2.Title = "Draw #437 corrected"
	if got := c.Get(r2, render); got != "<Draw #437 corrected>" {
		t.Fatalf("after a change: %q", got)
	}
	// The cache keeps its own copy: changing the caller's slices in place
	// does not change what a later reply matches.
	r3 := full()
	c.Get(r3, render)
	before := calls.Load()
	r3.Lines[0] = "changed in place"
	c.Get(r3, render)
	if calls.Load() != before+1 {
		t.Fatal("a reply changed in place was served the old rendering")
	}
}

// The cache is bounded: Size entries, oldest out first.
func TestGetBounded(t *testing.T) {
	var c Cache[int]
	n := 0
	render := func(reply.Reply) int { n++; return n }
	for i := range 3 * Size {
		c.Get(reply.Reply{Title: fmt.Sprint(i)}, render)
	}
	if used := c.Len(); used != Size || n != 3*Size {
		t.Fatalf("%d entries, %d renders", c.Len(), n)
	}
	if c.Get(reply.Reply{Title: fmt.Sprint(3*Size - 1)}, render) != 3*Size {
		t.Fatal("the newest entry was dropped")
	}
	if c.Get(reply.Reply{Title: "0"}, render) != 3*Size+1 {
		t.Fatal("the oldest entry was kept")
	}
}

func BenchmarkGetHit(b *testing.B) {
	var c Cache[string]
	r := full()
	render := func(r reply.Reply) string { return r.Title }
	c.Get(r, render)
	b.ReportAllocs()
	for b.Loop() {
		c.Get(r, render)
	}
}
