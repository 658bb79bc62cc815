package testlog

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestWait(t *testing.T) {
	var b Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	go func() {
		for i := range 100 {
			fmt.Fprintf(&b, "line %d\n", i)
		}
	}()
	if err := b.Wait(ctx, func(s string) bool { return strings.Contains(s, "line 99\n") }); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "\n"); n != 100 {
		t.Errorf("%d lines", n)
	}
	short, cancel2 := context.WithTimeout(ctx, time.Millisecond)
	defer cancel2()
	if err := b.Wait(short, func(s string) bool { return strings.Contains(s, "never") }); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Wait for a line never written = %v", err)
	}
}
