package commands

import (
	"runtime"
	"testing"

	"github.com/eebot/eebot/internal/store/storetest"
)

// Building the question reader's vocabulary, once per engine at its first
// question (NOC titles read from the store, typo index built). live-MB is
// what the vocabulary keeps on the heap for the life of the engine.
func BenchmarkVocabulary(b *testing.B) {
	db := storetest.Store(b)
	for b.Loop() {
		New(db).vocab()
	}
	b.StopTimer()
	e := New(db)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	v := e.vocab()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(v)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "live-MB")
}
