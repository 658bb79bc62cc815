package discord

import "testing"

func TestEscapeMarkdown(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"CRS 475, 4,000 invitations", "CRS 475, 4,000 invitations"},
		{"draw #422", "draw #422"},
		{"+8 vs #398", "+8 vs #398"},
		{"-5 points", "-5 points"},
		{"**bold** _it_ ~~s~~ `c` ||sp||", `\*\*bold\*\* \_it\_ \~\~s\~\~ \` + "`c\\`" + ` \|\|sp\|\|`},
		{"@everyone <@123> <#5> <t:1:R>", `@everyone \<@123> \<#5> \<t:1:R>`},
		{"# heading", `\# heading`},
		{"### h3\n> quote\n- item\n1. one", "\\### h3\n\\> quote\n\\- item\n1\\. one"},
		{"#1 fan", "#1 fan"},
		{"[x](https://evil)", `\[x\](https://evil)`},
		{"see https://www.canada.ca/a_b*c then", "see https://www.canada.ca/a_b*c then"},
		{`back\slash`, `back\\slash`},
	}
	for _, tt := range tests {
		if got := escapeMarkdown(tt.in); got != tt.want {
			t.Errorf("escapeMarkdown(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEscapeCode(t *testing.T) {
	if got := escapeCode("a```b"); got != "a`\u200b`\u200b`b" {
		t.Fatalf("got %q", got)
	}
}
