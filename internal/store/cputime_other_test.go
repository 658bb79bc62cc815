//go:build !unix

package store

import "time"

// cpuTime is not measured here: the cpu metrics read 0.
func cpuTime() time.Duration { return 0 }
