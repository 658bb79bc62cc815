package main

import (
	"context"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// freeWhenQuiet frees once per busy spell, after the first quiet period
// that follows it; never while busy, nor when the bot was quiet all along.
func TestFreeWhenQuiet(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		var allocated atomic.Uint64
		var frees atomic.Int64
		done := make(chan struct{})
		go func() {
			freeWhenQuiet(ctx, time.Second, allocated.Load, func() { frees.Add(1) })
			close(done)
		}()
		// Each step: bytes allocated during one period, and the frees
		// expected once it has passed.
		for i, step := range []struct {
			alloc uint64
			frees int64
		}{
			{100 << 10, 0},     // idle
			{quietBytes, 0},    // a little activity: not busy
			{busyBytes, 0},     // a burst
			{busyBytes * 4, 0}, // still busy
			{quietBytes, 0},    // slowing down: not quiet yet
			{10 << 10, 1},      // quiet: freed
			{0, 1},             // quiet again: nothing more
			{busyBytes, 1},     // another burst
			{0, 2},             // freed again
		} {
			allocated.Add(step.alloc)
			time.Sleep(time.Second)
			synctest.Wait()
			if n := frees.Load(); n != step.frees {
				t.Fatalf("step %d: %d frees, want %d", i, n, step.frees)
			}
		}
		cancel()
		<-done
	})
}
