package dataset

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/eebot/eebot/data"
	"github.com/eebot/eebot/internal/domain"
	"github.com/eebot/eebot/internal/ircc"
	"github.com/eebot/eebot/internal/store"
)

// Seed loads the embedded files in fsys into db. Reference tables are
// replaced whole; snapshot draws are upserted without overwriting anything a
// live feed or a moderator stored, so draws added after the snapshot stay.
// When the files are the ones already loaded, it does nothing.
func Seed(ctx context.Context, db *store.DB, fsys fs.FS, log *slog.Logger) error {
	if log == nil {
		log = slog.Default()
	}
	feed, err := fs.ReadFile(fsys, data.IRCCFeed)
	if err != nil {
		return fmt.Errorf("dataset: %w", err)
	}
	sum, err := checksum(fsys, feed)
	if err != nil {
		return err
	}
	if prev, err := db.GetMeta(ctx, store.MetaEmbeddedSum); err != nil {
		return err
	} else if prev == sum {
		log.Debug("embedded data already loaded", "sha256", sum[:12])
		return nil
	}
	ref, err := ReadReference(fsys)
	if err != nil {
		return err
	}
	draws, warnings, err := ircc.ParseReport(feed)
	if err != nil {
		return fmt.Errorf("dataset: embedded feed: %w", err)
	}
	for _, w := range warnings {
		log.Debug("embedded feed oddity", "draw", w.Number, "field", w.Field, "msg", w.Msg)
	}
	for _, d := range draws {
		if d.Type == domain.TypeUnmapped {
			log.Warn("draw name matches no category rule; kept as unmapped", "draw", d.Number, "name", d.Name)
		}
	}
	if err := db.LoadReference(ctx, ref); err != nil {
		return err
	}
	res, err := db.SaveDraws(ctx, draws, domain.OriginSnapshot)
	if err != nil {
		return err
	}
	if err := db.SetMeta(ctx, store.MetaSnapshot, data.SnapshotDate); err != nil {
		return err
	}
	if err := db.SetMeta(ctx, store.MetaEmbeddedSum, sum); err != nil {
		return err
	}
	log.Info("loaded embedded data", "draws", len(draws), "new", len(res.Added), "updated", len(res.Updated),
		"nocs", len(ref.NOCs), "category_versions", len(ref.Categories))
	return nil
}

// checksum identifies one set of embedded files.
func checksum(fsys fs.FS, feed []byte) (string, error) {
	h := sha256.New()
	h.Write(feed)
	for _, name := range []string{data.Categories, data.CategoryNOC, data.NOCUnits, data.OINPDraws, data.RoundNamesFR} {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return "", fmt.Errorf("dataset: %w", err)
		}
		fmt.Fprintf(h, "\x00%s\x00%d\x00", name, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
