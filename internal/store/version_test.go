package store_test

import (
	"context"
	"testing"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/store/storetest"
)

func TestDrawsVersion(t *testing.T) {
	db := storetest.Store(t)
	ctx := context.Background()
	version := func(keys ...domain.Key) string {
		v, err := db.DrawsVersion(ctx, keys)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	hc, stem, all := version(domain.Healthcare), version(domain.STEM), version()
	if hc == stem || hc == all || version(domain.Healthcare) != hc {
		t.Fatalf("versions %q %q %q", hc, stem, all)
	}
	d := domain.Draw{Number: "438", Seq: 438, Date: "2026-08-20", Name: "Healthcare and social services occupations (Version 3)",
		Category: domain.Healthcare, Version: 3, Type: domain.TypeCategory, Size: 2500, CRS: 455, URL: domain.RoundURL("438")}
	if _, err := db.SaveDraws(ctx, []domain.Draw{d}, domain.OriginModerator); err != nil {
		t.Fatal(err)
	}
	added := version(domain.Healthcare)
	if added == hc || version() == all || version(domain.STEM) != stem {
		t.Errorf("after a healthcare draw: %q (was %q), stem %q (was %q)", added, hc, version(domain.STEM), stem)
	}
	// A corrected value, in the same second.
	d.CRS = 456
	if _, err := db.SaveDraws(ctx, []domain.Draw{d}, domain.OriginModerator); err != nil {
		t.Fatal(err)
	}
	if version(domain.Healthcare) == added {
		t.Error("a corrected cutoff left the version as it was")
	}
}
