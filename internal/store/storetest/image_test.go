package storetest

import (
	"context"
	"testing"

	"github.com/eebot/eebot/internal/store"
)

// The copy must arrive through the connection hook: were it lost (say the
// in-memory DSN store.Open uses changed), Store would still return seeded
// stores, seeding each one itself, seconds apiece under the race detector.
func TestOpenImageRestoresTemplate(t *testing.T) {
	ctx := context.Background()
	image, err := template1()
	if err != nil {
		t.Fatal(err)
	}
	db, err := openImage(ctx, image, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, err := db.GetMeta(ctx, store.MetaEmbeddedSum); err != nil || v == "" {
		t.Fatalf("the in-memory store did not receive the template (checksum %q, %v)", v, err)
	}
	if n, err := db.CountDraws(ctx, ""); err != nil || n != 438 {
		t.Errorf("draws = %d, %v", n, err)
	}
}
