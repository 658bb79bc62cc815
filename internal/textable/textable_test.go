package textable

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/eebot/eebot/internal/reply"
)

func TestLines(t *testing.T) {
	draws := reply.Table{Header: []string{"#", "Date", "Type", "CRS", "ITAs"}, Rows: [][]string{
		{"422", "2026-06-25", "Healthcare v3", "475", "4,000"},
		{"91a", "2018-05-30", "FST", "288", "500"},
	}}
	tests := []struct {
		name string
		t    reply.Table
		o    Options
		want []string
	}{
		{"unlimited, gap 2", draws, Options{Gap: 2}, []string{
			"#    Date        Type           CRS   ITAs",
			"422  2026-06-25  Healthcare v3  475  4,000",
			"91a  2018-05-30  FST            288    500",
		}},
		{"phone width shortens text first", draws, Options{Width: 30, Rule: "─"}, []string{
			"#   Date       Type  CRS  ITAs",
			"──────────────────────────────",
			"422 2026-06-25 Heal… 475 4,000",
			"91a 2018-05-30 FST   288   500",
		}},
		{"too narrow drops text columns before numbers", draws, Options{Width: 16}, []string{
			"#   CRS  ITAs",
			"422 475 4,000",
			"91a 288   500",
		}},
		{"cells are one line and transformed", reply.Table{Rows: [][]string{{"a\nb", "x`y"}}}, Options{Cell: func(s string) string { return strings.ReplaceAll(s, "`", "'") }},
			[]string{"a b x'y"}},
		{"French numbers right-aligned, short dates whole", reply.Table{Header: []string{"#", "Date", "Type", "SCG", "Inv."}, Rows: [][]string{
			{"434", "7 août", "Transport", "470", "300"},
			{"430", "23 juil.", "Militaire", "368", "4"},
			{"429", "22 juil.", "Franco", "399", "5\u00a0000"},
		}}, Options{Width: 30}, []string{
			"  # Date     Type    SCG  Inv.",
			"434 7 août   Transp… 470   300",
			"430 23 juil. Milita… 368     4",
			"429 22 juil. Franco  399 5\u00a0000",
		}},
		{"empty", reply.Table{}, Options{}, nil},
	}
	for _, tc := range tests {
		got := Lines(tc.t, tc.o)
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("%s:\n%s\nwant\n%s", tc.name, strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
		}
		for _, l := range got {
			if tc.o.Width > 0 && utf8.RuneCountInString(l) > tc.o.Width {
				t.Errorf("%s: line wider than %d: %q", tc.name, tc.o.Width, l)
			}
		}
	}
}
