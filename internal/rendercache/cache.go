// Package rendercache keeps a platform's rendering of the last few replies,
// so a post sent to thousands of destinations is rendered (escaped, split,
// marshalled) once per platform instead of once per destination.
//
// Entries are found by the reply's content, not by a name such as the
// draw's number: a reply that differs in anything (a corrected draw,
// another kind of post, language or post template) is another entry, so a
// rendering made before a correction can never be served after it. A hit
// is confirmed field by field, not trusted to the hash.
package rendercache

import (
	"bytes"
	"hash/maphash"
	"slices"
	"sync"

	"github.com/eebot/eebot/internal/reply"
)

// Size is how many renderings a Cache keeps: a fan-out has one post per
// draw, kind and language in flight, rarely more than a handful at once.
const Size = 16

// Cache maps replies to their rendering. The zero value is an empty cache,
// safe for concurrent use; it must not be copied after first use. The
// value Get returns is shared by every caller that asks for the same reply
// and must not be modified.
type Cache[T any] struct {
	mu      sync.Mutex
	entries [Size]entry[T]
	next    int // the entry the next miss replaces (oldest first)
}

type entry[T any] struct {
	used bool
	hash uint64
	r    reply.Reply // a deep copy: the caller's slices may change later
	v    T
}

// seed is the process's hash seed.
var seed = maphash.MakeSeed()

// Get returns the rendering of r, calling render on a miss. render must be
// a pure function of r: two callers that miss at once may both call it.
func (c *Cache[T]) Get(r reply.Reply, render func(reply.Reply) T) T {
	h := hash(seed, &r)
	c.mu.Lock()
	for i := range c.entries {
		if e := &c.entries[i]; e.used && e.hash == h && equal(&e.r, &r) {
			v := e.v
			c.mu.Unlock()
			return v
		}
	}
	c.mu.Unlock()
	v := render(r)
	c.mu.Lock()
	c.entries[c.next] = entry[T]{used: true, hash: h, r: clone(r), v: v}
	c.next = (c.next + 1) % Size
	c.mu.Unlock()
	return v
}

// Len returns how many renderings the cache holds.
func (c *Cache[T]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for i := range c.entries {
		if c.entries[i].used {
			n++
		}
	}
	return n
}

// hash covers every field equal compares.
func hash(seed maphash.Seed, r *reply.Reply) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	str := func(s string) {
		h.WriteString(s)
		h.WriteByte(0)
	}
	num := func(n int64) {
		var b [8]byte
		for i := range b {
			b[i] = byte(n >> (8 * i))
		}
		h.Write(b[:])
	}
	flag := func(v bool) {
		if v {
			h.WriteByte(1)
		} else {
			h.WriteByte(0)
		}
	}
	strs := func(ss []string) {
		num(int64(len(ss)))
		for _, s := range ss {
			str(s)
		}
	}
	num(int64(r.Status))
	for _, s := range [...]string{r.Command, r.Lang, r.Title, r.URL, r.Category, r.Summary, r.Source, r.AsOf, r.Footer, r.Note} {
		str(s)
	}
	num(int64(len(r.Fields)))
	for _, f := range r.Fields {
		str(f.Name)
		str(f.Value)
		flag(f.Inline)
	}
	flag(r.Table != nil)
	if r.Table != nil {
		strs(r.Table.Header)
		num(int64(len(r.Table.Rows)))
		for _, row := range r.Table.Rows {
			strs(row)
		}
	}
	strs(r.Lines)
	num(int64(len(r.Links)))
	for _, l := range r.Links {
		str(l.Label)
		str(l.URL)
	}
	num(r.Time.UnixNano())
	flag(r.Private)
	flag(r.Pager != nil)
	if p := r.Pager; p != nil {
		str(p.Command)
		str(p.Args)
		num(int64(p.Page))
		num(int64(p.Pages))
	}
	strs(r.Choices)
	num(int64(len(r.Actions)))
	for _, a := range r.Actions {
		str(a.Label)
		str(a.Command)
		str(a.Args)
		flag(a.Danger)
	}
	flag(r.Image != nil)
	if im := r.Image; im != nil {
		for _, s := range [...]string{im.Name, im.Type, im.Alt, im.Key} {
			str(s)
		}
		num(int64(im.Width))
		num(int64(im.Height))
		num(int64(len(im.Data)))
		h.Write(im.Data)
	}
	return h.Sum64()
}

// equal reports whether two replies render the same: every field is the
// same (times: the same instant in the same location).
func equal(a, b *reply.Reply) bool {
	if a.Status != b.Status || a.Command != b.Command || a.Lang != b.Lang || a.Title != b.Title || a.URL != b.URL ||
		a.Category != b.Category || a.Summary != b.Summary || a.Source != b.Source || a.AsOf != b.AsOf ||
		a.Footer != b.Footer || a.Note != b.Note || a.Private != b.Private {
		return false
	}
	if !a.Time.Equal(b.Time) || a.Time.Location() != b.Time.Location() {
		return false
	}
	if !slices.Equal(a.Fields, b.Fields) || !slices.Equal(a.Lines, b.Lines) || !slices.Equal(a.Links, b.Links) ||
		!slices.Equal(a.Choices, b.Choices) || !slices.Equal(a.Actions, b.Actions) {
		return false
	}
	if (a.Pager == nil) != (b.Pager == nil) || a.Pager != nil && *a.Pager != *b.Pager {
		return false
	}
	if (a.Table == nil) != (b.Table == nil) || (a.Image == nil) != (b.Image == nil) {
		return false
	}
	if a.Image != nil {
		x, y := a.Image, b.Image
		if x.Name != y.Name || x.Type != y.Type || x.Alt != y.Alt || x.Key != y.Key || x.Width != y.Width ||
			x.Height != y.Height || !bytes.Equal(x.Data, y.Data) {
			return false
		}
	}
	if a.Table != nil {
		if !slices.Equal(a.Table.Header, b.Table.Header) ||
			!slices.EqualFunc(a.Table.Rows, b.Table.Rows, func(x, y []string) bool { return slices.Equal(x, y) }) {
			return false
		}
	}
	return true
}

// clone copies r's slices and pointers, so the cached key cannot change
// under the cache if the caller reuses them.
func clone(r reply.Reply) reply.Reply {
	r.Fields = slices.Clone(r.Fields)
	r.Lines = slices.Clone(r.Lines)
	r.Links = slices.Clone(r.Links)
	r.Choices = slices.Clone(r.Choices)
	r.Actions = slices.Clone(r.Actions)
	if r.Pager != nil {
		p := *r.Pager
		r.Pager = &p
	}
	if r.Table != nil {
		t := reply.Table{Header: slices.Clone(r.Table.Header), Rows: make([][]string, len(r.Table.Rows))}
		for i, row := range r.Table.Rows {
			t.Rows[i] = slices.Clone(row)
		}
		r.Table = &t
	}
	if r.Image != nil {
		im := *r.Image // Data is never modified once in a Reply: shared
		r.Image = &im
	}
	return r
}
