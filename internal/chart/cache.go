package chart

import (
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/i18n"
)

// Cache keeps rendered charts by what they show (a name: the chart and its
// language) and the version of the data drawn (a hash of every value on
// it). A name holds one version: a new draw changes the version, and the
// first request after it renders the new chart and drops the old one. The
// least recently used names go first once the cache holds max.
type Cache struct {
	mu    sync.Mutex
	max   int
	order *list.List // of *cached, most recent first
	byKey map[string]*list.Element
}

type cached struct {
	name, version string
	png           []byte
}

// NewCache returns a cache of at most max charts.
func NewCache(max int) *Cache {
	return &Cache{max: max, order: list.New(), byKey: map[string]*list.Element{}}
}

// Get returns the chart named name at version, rendering it on a miss;
// hit says it came from the cache. A failed render is not kept.
func (c *Cache) Get(name, version string, render func() ([]byte, error)) (png []byte, hit bool, err error) {
	c.mu.Lock()
	if el, ok := c.byKey[name]; ok {
		e := el.Value.(*cached)
		if e.version == version {
			c.order.MoveToFront(el)
			c.mu.Unlock()
			return e.png, true, nil
		}
	}
	c.mu.Unlock()
	// Rendered outside the lock: other charts are served meanwhile. Two
	// requests for the same new chart may both render it; the result is
	// the same.
	png, err = render()
	if err != nil {
		return nil, false, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[name]; ok {
		el.Value = &cached{name: name, version: version, png: png}
		c.order.MoveToFront(el)
		return png, false, nil
	}
	c.byKey[name] = c.order.PushFront(&cached{name: name, version: version, png: png})
	for c.order.Len() > c.max {
		old := c.order.Back()
		c.order.Remove(old)
		delete(c.byKey, old.Value.(*cached).name)
	}
	return png, false, nil
}

// Len is how many charts the cache holds.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

// Version is a hash of everything the chart draws in p's language: equal
// versions draw the same picture.
func (c Cutoffs) Version(p i18n.Printer) string {
	h := sha256.New()
	fmt.Fprintf(h, "cutoffs\x00%s\x00%s\x00%s\x00%d\x00%d\n", p.Lang(), c.Title, c.Subtitle, Width, Height)
	for _, s := range c.Series[:min(len(c.Series), MaxSeries)] {
		fmt.Fprintf(h, "%s\x00%s\n", s.Key, s.Name)
		for _, d := range s.Draws {
			fmt.Fprintf(h, "%s %d %d %d\n", d.Date, d.CRS, d.Size, d.Version)
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// Version is a hash of everything the chart draws in p's language.
func (c Pool) Version(p i18n.Printer) string {
	h := sha256.New()
	fmt.Fprintf(h, "pool\x00%s\x00%s\x00%s\x00%d\x00%d\n", p.Lang(), c.Title, c.Subtitle, Width, PoolHeight)
	for i, d := range []*domain.Distribution{&c.Current, c.Previous} {
		if d == nil {
			continue
		}
		fmt.Fprintf(h, "%d\n", i)
		for _, b := range d.Bands {
			fmt.Fprintf(h, "%d %d %d\n", b.Lo, b.Hi, b.Candidates)
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}
