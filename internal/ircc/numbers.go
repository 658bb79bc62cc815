package ircc

import (
	"errors"
	"strings"
)

var (
	errEmpty     = errors.New("empty")
	errNegative  = errors.New("negative")
	errNotNumber = errors.New("not a number")
	errTooLarge  = errors.New("too large")
)

// parseCount reads a non-negative count as IRCC writes it: "5,000",
// "231,533", "382", maybe with spaces around. Commas must group thousands
// properly ("5,00" is refused): a misplaced comma suggests a typo we should
// not read as a number.
func parseCount(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errEmpty
	}
	if s[0] == '-' {
		return 0, errNegative
	}
	if s[0] == '+' {
		s = s[1:]
	}
	groups := strings.Split(s, ",")
	n, digits := 0, 0
	for i, g := range groups {
		if g == "" || (i == 0 && len(g) > 3 && len(groups) > 1) || (i > 0 && len(g) != 3) {
			return 0, errNotNumber
		}
		for j := 0; j < len(g); j++ {
			if !isDigit(g[j]) {
				return 0, errNotNumber
			}
			n = n*10 + int(g[j]-'0')
			if digits++; digits > 9 {
				return 0, errTooLarge // no pool or draw comes near a billion
			}
		}
	}
	return n, nil
}
