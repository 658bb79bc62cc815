package commands

import (
	"context"
	"slices"
	"sync"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/i18n"
	"github.com/eebot/eebot/internal/reply"
)

// drawsVersioner is a store that says when its draws change (store.DB
// does): RenderPost keeps its posts only with one.
type drawsVersioner interface {
	DrawsVersion(ctx context.Context) uint64
}

// postKey is what a post's wording depends on besides the draws: one post
// of a fan-out, in one language, with the engine's one template.
type postKey struct {
	number, revision, before string
	kind                     domain.PostKind
	lang                     i18n.Lang
	// stop is a personal alert's way to stop it, on its platform; "" for
	// a channel's post.
	stop string
}

// postCacheSize bounds the posts kept: a fan-out has a handful in flight.
const postCacheSize = 16

// postCache keeps the last posts RenderPost made, each with the draws'
// version it was made from, so a fan-out to thousands of destinations
// reads and renders its post once, not once per batch the sender claims.
// A write of draws (a correction, a moderator's entry) changes the version
// and every kept post is made again from the store.
type postCache struct {
	mu      sync.Mutex
	entries [postCacheSize]postEntry
	next    int // the entry the next put replaces (oldest first)
}

type postEntry struct {
	used    bool
	key     postKey
	version uint64
	r       reply.Reply
}

// get returns the post kept for k made at version v.
func (c *postCache) get(k postKey, v uint64) (reply.Reply, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range c.entries {
		if e.used && e.key == k && e.version == v {
			return copyPost(e.r), true
		}
	}
	return reply.Reply{}, false
}

// put keeps r, made from the draws at version v, for k.
func (c *postCache) put(k postKey, v uint64, r reply.Reply) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, e := range c.entries {
		if e.used && e.key == k {
			c.entries[i] = postEntry{used: true, key: k, version: v, r: copyPost(r)}
			return
		}
	}
	c.entries[c.next] = postEntry{used: true, key: k, version: v, r: copyPost(r)}
	c.next = (c.next + 1) % postCacheSize
}

// copyPost copies the slices a post has, so no caller can change the kept
// one.
func copyPost(r reply.Reply) reply.Reply {
	r.Links = slices.Clone(r.Links)
	r.Choices = slices.Clone(r.Choices)
	r.Fields = slices.Clone(r.Fields)
	r.Lines = slices.Clone(r.Lines)
	return r
}
