package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/store"
	"github.com/eebot/eebot/internal/store/storetest"
)

// BenchmarkReads measures the store's reads on a database file, at 1x and
// 100x the real feed: what each answer's queries cost apart from the
// engine's wording (small results are not kept: store.WithoutResultCache).
func BenchmarkReads(b *testing.B) {
	ctx := context.Background()
	for _, scale := range []int{1, 100} {
		b.Run(fmt.Sprintf("x%d", scale), func(b *testing.B) {
			db := storetest.FileStore(b, scale, store.WithoutResultCache())
			for _, r := range []struct {
				name string
				read func() error
			}{
				{"meta", func() error { _, err := db.Meta(ctx); return err }},
				{"draws limit 2", func() error {
					_, err := db.Draws(ctx, domain.DrawFilter{Category: domain.Healthcare, Limit: 2})
					return err
				}},
				{"latest of 10 categories", func() error {
					_, err := db.LatestDraws(ctx, domain.CategoryKeys())
					return err
				}},
				{"draws limit 10 oldest", func() error {
					_, err := db.Draws(ctx, domain.DrawFilter{Category: domain.Healthcare, Limit: 10, Oldest: true})
					return err
				}},
				{"count", func() error { _, err := db.CountDrawsIn(ctx, domain.DrawFilter{From: "2025-01-01"}); return err }},
				{"summary 12 months", func() error {
					_, err := db.SummarizeDraws(ctx, domain.DrawFilter{From: "2025-08-20", To: "2026-08-20"})
					return err
				}},
				{"noc", func() error { _, err := db.NOC(ctx, "33109"); return err }},
				{"search noc", func() error { _, err := db.SearchNOC(ctx, "nurse", 10); return err }},
				{"eligibility", func() error { _, err := db.Eligibility(ctx, "33109"); return err }},
				{"categories", func() error { _, err := db.Categories(ctx); return err }},
			} {
				b.Run(r.name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						if err := r.read(); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
