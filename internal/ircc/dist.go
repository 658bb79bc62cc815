package ircc

import (
	"fmt"
	"strconv"

	"github.com/eebot/eebot/internal/domain"
)

// bandFields lists the 15 non-overlapping CRS bands, highest first, with the
// dd field that counts each. dd3 (451-500) and dd9 (401-450) are subtotals of
// the fields between them and are only used for checking.
var bandFields = [15]struct {
	dd     int
	lo, hi int
}{
	{1, 601, 1200}, {2, 501, 600},
	{4, 491, 500}, {5, 481, 490}, {6, 471, 480}, {7, 461, 470}, {8, 451, 460},
	{10, 441, 450}, {11, 431, 440}, {12, 421, 430}, {13, 411, 420}, {14, 401, 410},
	{15, 351, 400}, {16, 301, 350}, {17, 0, 300},
}

// distribution builds a draw's pool distribution from dd1..dd18. It is
// lenient: a distribution is extra information, so a bad value drops the
// distribution with a warning instead of rejecting the feed. All zeros is
// IRCC's way of saying no distribution was published (218 older rows).
func distribution(r *row, warn func(field, msg string)) *domain.Distribution {
	var dd [19]int
	zero, missing := true, 0
	for i := 1; i <= 18; i++ {
		f := r.dd[i]
		if f == nil {
			missing++
			continue
		}
		n, err := parseCount(string(*f))
		if err != nil {
			warn("dd"+strconv.Itoa(i), fmt.Sprintf("%q: %v; distribution dropped", string(*f), err))
			return nil
		}
		dd[i] = n
		if n != 0 {
			zero = false
		}
	}
	if zero {
		return nil
	}
	if missing > 0 {
		warn("dd", fmt.Sprintf("%d of dd1..dd18 missing; distribution dropped", missing))
		return nil
	}
	d := &domain.Distribution{Total: dd[18], Bands: make([]domain.Band, 0, len(bandFields))}
	sum := 0
	for _, b := range bandFields {
		d.Bands = append(d.Bands, domain.Band{Lo: b.lo, Hi: b.hi, Candidates: dd[b.dd]})
		sum += dd[b.dd]
	}
	// Draw 247 has dd3 = 55,867 where its parts sum to 55,687; such a typo
	// is kept as published and reported.
	if s := dd[4] + dd[5] + dd[6] + dd[7] + dd[8]; s != dd[3] {
		warn("dd3", fmt.Sprintf("subtotal 451-500 is %d but dd4..dd8 sum to %d", dd[3], s))
	}
	if s := dd[10] + dd[11] + dd[12] + dd[13] + dd[14]; s != dd[9] {
		warn("dd9", fmt.Sprintf("subtotal 401-450 is %d but dd10..dd14 sum to %d", dd[9], s))
	}
	if sum != dd[18] {
		warn("dd18", fmt.Sprintf("total is %d but the 15 bands sum to %d", dd[18], sum))
	}
	raw := ""
	if r.AsOn != nil {
		raw = string(*r.AsOn)
	}
	d.AsOfRaw = raw
	if iso, ok := ParseLongDate(raw); ok {
		d.AsOf = iso
	} else {
		d.AsOf = raw
		warn("drawDistributionAsOn", fmt.Sprintf("%q: not a date", raw))
	}
	return d
}
