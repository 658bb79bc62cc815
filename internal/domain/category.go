package domain

// CategoryVersion is one version of a category-based selection list.
type CategoryVersion struct {
	Key           Key // "healthcare"
	Version       int
	DrawName      string // as seen in the feed; "" when no draw used this version
	Name          string
	EffectiveFrom string // YYYY-MM-DD
	EffectiveTo   string // "" while current
	MinMonths     int    // 0 when unknown or not applicable
	WindowYears   int
	Requirements  string
	SourceURL     string
	NOCCount      int
}

// Current reports whether this version is the one in force.
func (c CategoryVersion) Current() bool { return c.EffectiveTo == "" }

// NOC is a NOC 2021 unit group.
type NOC struct {
	Code    string // five digits, leading zeros kept
	TitleEN string
	TitleFR string
	TEER    int
}

// Eligibility is one category version whose list includes a NOC code.
type Eligibility struct {
	Category CategoryVersion
	Title    string // the title as the category list spells it
	Verified int    // independent sources behind the row
	Source   string
}

// Meta keys of the feed's freshness: the poller writes them, the store's
// Meta reads them.
const (
	MetaLastChecked = "feed_last_checked"
	MetaLastChanged = "feed_last_changed"
)

// FeedMeta is what the bot knows about its data's freshness.
type FeedMeta struct {
	SnapshotDate string // when the embedded copy was saved
	LastChecked  string // RFC 3339; "" until the poller has run
	LastChanged  string // RFC 3339; "" until the poller saw a change
	LatestDraw   string // date of the newest stored draw
}

// PNPDraw is one Ontario (OINP) draw, a secondary dataset.
type PNPDraw struct {
	ID          string
	Stream      string
	Date        string
	Invitations int
	ScoreMin    int // 0 when not published
	ScoreMax    int
	ScoreRule   string
	Type        string
	Region      string
	Occupations string
	Notes       string
}
