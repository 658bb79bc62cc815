package main

import (
	"context"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// freeStartMemory returns to the OS what start-up used and no longer needs,
// once the database is seeded and again after the first poll: seeding a
// new database parses the embedded feed and reference files and writes
// every row, and the first poll parses IRCC's feed and rewrites every
// draw. An idle bot would otherwise keep their garbage, and the stacks
// SQLite's code grew, until its next GC, minutes later; FreeOSMemory runs
// that GC now and hands the free pages back.
func freeStartMemory() { debug.FreeOSMemory() }

// quietPeriod is how often freeWhenQuiet looks at the heap.
const quietPeriod = 10 * time.Second

// Allocations per quietPeriod that make the bot busy, and quiet again.
// Idle, it allocates about 0.1 MB a period (the sender's look at the
// outbox every second, heartbeats, long polls); 1,000 Discord questions
// allocate about 70 MB, a start on a new database about 20 MB.
const (
	busyBytes  = 16 << 20
	quietBytes = 2 << 20
)

// freeWhenQuiet calls free (debug.FreeOSMemory in the bot) once the bot
// goes quiet after a busy spell, until ctx ends: allocated says how many
// bytes the heap allocated so far. A burst of questions leaves the heap at
// the size it grew to, holding garbage until the next GC, which an idle
// bot makes only every two minutes; this makes it after one quiet period
// and hands the free pages back: one GC per burst.
func freeWhenQuiet(ctx context.Context, period time.Duration, allocated func() uint64, free func()) {
	last, busy := allocated(), false
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := allocated()
		switch n := now - last; {
		case n >= busyBytes:
			busy = true
		case busy && n < quietBytes:
			busy = false
			free()
		}
		last = now
	}
}

// heapAllocated is how many bytes the heap allocated since the start.
func heapAllocated() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
