package commands

import (
	"testing"

	"github.com/eebot/eebot/internal/store/storetest"
)

// Building the question reader's vocabulary, once per engine at its first
// question (NOC titles read from the store, typo index built).
func BenchmarkVocabulary(b *testing.B) {
	db := storetest.Store(b)
	for b.Loop() {
		New(db).vocab()
	}
}
