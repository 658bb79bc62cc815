package commands

import (
	"context"

	"github.com/eebot/eebot/internal/reply"
)

// ArgType says what an argument holds, so each platform collects it its own
// way (a Discord integer option, a Telegram word) and the engine checks it
// in one place.
type ArgType int

const (
	ArgText       ArgType = iota // free text; in a typed line, the rest of it
	ArgInt                       // a whole number within Min..Max
	ArgCategory                  // one category or program key, or all
	ArgCategories                // one or more category or program keys
	ArgNOC                       // a NOC code or title words; autocompleted with CompleteNOC
	ArgRole                      // a Discord role to mention; only a platform's typed role option fills it
	ArgDraw                      // a draw number such as 438 or 91a
	ArgDate                      // YYYY-MM-DD
	ArgChoice                    // one of Choices; Hidden ones are set by buttons only
	ArgPeriod                    // a span of dates: 2025, 2026-03, this year, last year, since 2024, last 12 months, ever
	ArgPreview                   // a preview's ID, 16 hex digits; only the bot's own buttons send one
)

// Access says who may use a command; platforms hide commands accordingly,
// and Handle checks it again on every request.
type Access int

const (
	Everyone   Access = iota
	Managers          // in a channel or group; changes need someone who can manage it
	Moderators        // the bot's configured moderators
)

// Arg is one named argument of a command.
type Arg struct {
	Name          string
	Description   string
	DescriptionFR string
	Type          ArgType
	Required      bool
	Min, Max      int      // for ArgInt; both 0 means unbounded
	Choices       []string // for ArgChoice
	Hidden        bool     // not offered to people: set by the bot's own buttons
	// Saved: a Required value the person may leave out when they saved one
	// (match's score, from crs save); the handler looks it up, and says it
	// is missing when there is none. Typed words still bind to it first.
	Saved bool
	// Missing is the message (an i18n id) a person is told when a required
	// value is absent; Bad when a value cannot be used (.Value is what they
	// typed).
	Missing string
	Bad     string
}

// Spec declares one command: the only place a command is named, described,
// given arguments and an access level, and bound to its handler. Handlers,
// typed-line parsing, Telegram menus, Discord registration and the help text
// all come from the table.
type Spec struct {
	Name          string
	Sub           string // a subcommand ("draw add"); typed as the first word after the name
	Aliases       []string
	Description   string
	DescriptionFR string
	Example       string // a typed example for the help text, e.g. "cutoff healthcare"
	Help          string // what the example answers, for the help text; "" leaves the command out of help
	Usage         string // the message id of the full syntax, added to every argument error
	Args          []Arg
	Access        Access
	// Changes marks commands that write; with Managers access they need a
	// caller who can manage the place.
	Changes bool
	// Hidden commands work when typed but are in no menu (Telegram's /start).
	Hidden bool
	// Personal commands are a person's own, for a private chat or a DM
	// (alert, alerts): group menus leave them out.
	Personal bool
	// Form: the text argument is a key=value form ("crs age=29 …"), so a
	// typed line naming the command is always the command, never a
	// question, and it may run to maxForm characters.
	Form bool

	run handler
}

// MustGive reports whether a request without a is refused before its
// handler runs (Required and not Saved).
func (a Arg) MustGive() bool { return a.Required && !a.Saved }

// Key is how a request names the command: "cutoff", "draw add".
func (s Spec) Key() string {
	if s.Sub != "" {
		return s.Name + " " + s.Sub
	}
	return s.Name
}

// Arg returns the named argument.
func (s Spec) Arg(name string) (Arg, bool) {
	for _, a := range s.Args {
		if a.Name == name {
			return a, true
		}
	}
	return Arg{}, false
}

// handler answers one command. A returned *Error is shown to the user; any
// other error is logged and the user gets a short apology.
type handler func(e *Engine, ctx context.Context, r Request) (reply.Reply, error)

// The limits people are told about.
const (
	maxCRS      = 1200
	maxDraws    = 25
	maxInvites  = 100000
	maxPage     = 10000
	categoryBad = "arg.category.bad"
)

// table is the command table, in menu order.
func table() []Spec {
	category := func(required bool, missing string) Arg {
		return Arg{Name: "category", Type: ArgCategory, Required: required, Missing: missing, Bad: categoryBad,
			Description: "Category or program, e.g. healthcare, stem, cec", DescriptionFR: "Catégorie ou programme, p. ex. healthcare, stem, cec"}
	}
	periodArg := Arg{Name: "period", Type: ArgPeriod, Bad: "arg.period.bad",
		Description: "A year, a month (2026-03), this year, since 2024, last 12 months, ever", DescriptionFR: "Une année, un mois (2026-03), this year, since 2024, last 12 months, ever"}
	count := func(bad string) Arg {
		return Arg{Name: "count", Type: ArgInt, Min: 1, Max: maxDraws, Bad: bad,
			Description: "How many draws (1 to 25)", DescriptionFR: "Combien de rondes (1 à 25)"}
	}
	return []Spec{
		{Name: "eligible", run: (*Engine).eligible, Example: "eligible 33109", Help: "help.eligible",
			Description: "Is a NOC code on a category list? Which versions, rules and latest draws", DescriptionFR: "Un code CNP est-il admissible à une catégorie ? Versions, règles et dernières rondes",
			Args: []Arg{{Name: "noc", Type: ArgNOC, Required: true, Missing: "arg.noc.missing",
				Description: "NOC 2021 code or job title, e.g. 33109 or nurse", DescriptionFR: "Code CNP 2021 ou titre, p. ex. 33109 ou infirmier"}}},
		{Name: "cutoff", run: (*Engine).cutoff, Example: "cutoff healthcare", Help: "help.cutoff",
			Description: "Latest CRS cutoff of a category, with the change since its previous draw", DescriptionFR: "Dernier seuil SCG d'une catégorie et l'écart avec la ronde précédente",
			Args: []Arg{category(false, "")}},
		{Name: "draws", run: (*Engine).draws, Example: "draws [5] [category]", Help: "help.draws",
			Description: "Latest draws, of any type or of one category", DescriptionFR: "Dernières rondes, tous types ou une catégorie",
			Args: []Arg{category(false, ""), periodArg, count("arg.count.bad")}},
		{Name: "history", run: (*Engine).history, Example: "history healthcare", Help: "help.history",
			Description: "All draws of one category, page by page", DescriptionFR: "Toutes les rondes d'une catégorie, page par page",
			Args: []Arg{category(true, "arg.category.missing.history"), periodArg,
				{Name: "page", Type: ArgInt, Min: 1, Max: maxPage, Bad: "arg.page.bad", Description: "Page number", DescriptionFR: "Numéro de page"}}},
		{Name: "pool", run: (*Engine).pool, Example: "pool [470] [500]", Help: "help.pool",
			Description: "Latest CRS score distribution of the pool and its change", DescriptionFR: "Dernière répartition des scores SCG du bassin et son évolution",
			Args: []Arg{
				{Name: "score", Type: ArgInt, Min: 0, Max: maxCRS, Bad: "arg.score.bad",
					Description: "How many candidates are above this score, and in its band", DescriptionFR: "Combien de candidats ont plus que ce score, et dans sa tranche"},
				{Name: "to", Type: ArgInt, Min: 0, Max: maxCRS, Bad: "arg.score.bad",
					Description: "With score: how many candidates are between the two", DescriptionFR: "Avec score : combien de candidats entre les deux"},
			}},
		{Name: "stats", run: (*Engine).stats, Example: "stats cec 2025", Help: "help.stats",
			Description: "Draws, invitations and cutoffs of a category over a period, against the period before", DescriptionFR: "Rondes, invitations et seuils d'une catégorie sur une période, comparés à la précédente",
			Args: []Arg{category(false, ""), periodArg}},
		{Name: "chart", run: (*Engine).chart, Example: "chart cec french 2025", Help: "help.chart",
			Description: "A chart of CRS cutoffs over time (several categories compare), or of the pool", DescriptionFR: "Graphique des seuils SCG dans le temps (plusieurs catégories comparées), ou du bassin",
			Args: []Arg{
				{Name: "categories", Type: ArgCategories, Bad: categoryBad,
					Description: "Up to 6 categories, e.g. cec french healthcare (default: the last 12 months' draws)", DescriptionFR: "Jusqu'à 6 catégories, p. ex. cec french healthcare (par défaut : les 12 derniers mois)"},
				periodArg,
				{Name: "what", Type: ArgChoice, Choices: []string{chartCutoffs, chartPool}, Bad: "arg.chart.what.bad",
					Description: "cutoffs (the default) or pool", DescriptionFR: "cutoffs (par défaut) ou pool"},
			}},
		{Name: "next", run: (*Engine).next, Example: "next healthcare", Help: "help.next",
			Description: "When draws of a category usually come (no prediction: IRCC does not announce draws)", DescriptionFR: "Rythme des rondes d'une catégorie (aucune prédiction : IRCC n'annonce pas les rondes)",
			Args: []Arg{category(false, "")}},
		{Name: "match", run: (*Engine).match, Example: "match 470 healthcare", Help: "help.match",
			Description: "How a CRS score compares with recent draws (statistics, not a prediction)", DescriptionFR: "Comparer un score SCG aux rondes récentes (statistiques, pas une prédiction)",
			// Without a score, the one the person saved (crs save), if any.
			Args: []Arg{{Name: "score", Type: ArgInt, Required: true, Saved: true, Min: 0, Max: maxCRS,
				Missing:     "arg.score.missing",
				Bad:         "arg.score.bad",
				Description: "Your CRS score", DescriptionFR: "Votre score SCG"}, category(false, "")}},
		{Name: "crs", run: (*Engine).crs, Form: true, Example: "crs", Help: "help.crs", Usage: "usage.crs",
			Description: "Estimate your CRS score from IRCC's criteria, step by step or in one line", DescriptionFR: "Estimer votre score SCG selon les critères d'IRCC, pas à pas ou en une ligne",
			Args: []Arg{{Name: "profile", Type: ArgText,
				Description:   "Empty to be asked step by step, or e.g. age=29 education=bachelor english=9 canada=2",
				DescriptionFR: "Vide pour des questions pas à pas, ou p. ex. age=29 education=bachelor english=9 canada=2"}}},
		{Name: "noc", run: (*Engine).noc, Example: "noc nurse", Help: "help.noc",
			Description: "Search NOC 2021 unit groups by code or title", DescriptionFR: "Chercher un groupe de base de la CNP 2021 par code ou titre",
			Args: []Arg{{Name: "query", Type: ArgNOC, Required: true, Missing: "arg.query.missing",
				Description: "Code prefix or title words, e.g. 331 or nurse", DescriptionFR: "Début de code ou mots du titre, p. ex. 331 ou infirmier"}}},
		{Name: "oinp", run: (*Engine).oinp, Example: "oinp", Help: "help.oinp",
			Description: "Ontario (OINP) draws: latest invitations by stream (a secondary dataset)", DescriptionFR: "Rondes de l'Ontario (POCIM) : dernières invitations par volet (données secondaires)",
			Args: []Arg{count("arg.count.oinp.bad")}},
		{Name: "categories", run: (*Engine).categories, Example: "categories", Help: "help.categories",
			Description: "Current Express Entry categories and their versions", DescriptionFR: "Catégories Entrée express en vigueur et leurs versions"},
		{Name: "about", run: (*Engine).about, Example: "about", Help: "help.about",
			Description: "What this bot does, its data source and freshness", DescriptionFR: "Ce que fait ce bot, sa source de données et leur fraîcheur"},
		{Name: "help", run: (*Engine).help,
			Description: "How to ask the bot", DescriptionFR: "Comment interroger le bot"},
		{Name: "start", Hidden: true, run: (*Engine).start,
			Description: "Start: a welcome and what to ask", DescriptionFR: "Démarrer : un accueil et quoi demander"},

		{Name: "alert", Personal: true, run: (*Engine).alert, Example: "alert healthcare 470", Help: "help.alert",
			Description:   "Your own alert in a private chat or DM: new draws of some categories, optionally at or below a CRS",
			DescriptionFR: "Votre alerte en privé : nouvelles rondes de certaines catégories, éventuellement sous votre score",
			Args: []Arg{
				{Name: "categories", Type: ArgCategories, Bad: categoryBad, Description: "Categories, e.g. healthcare french (default: every draw)", DescriptionFR: "Catégories, p. ex. healthcare french (par défaut : toutes)"},
				{Name: "max_crs", Type: ArgInt, Min: 1, Max: maxCRS, Bad: "arg.max_crs.bad",
					Description: "Only draws whose cutoff is at or below this score (yours)", DescriptionFR: "Seulement les rondes dont le seuil est inférieur ou égal à ce score (le vôtre)"},
				{Name: "off", Type: ArgText, Description: "To stop: off, off with an alert's number, or off all", DescriptionFR: "Pour arrêter : off, off et le numéro d'une alerte, ou off all"},
			}},
		{Name: "alerts", Personal: true, run: (*Engine).alerts,
			Description: "Your own draw alerts", DescriptionFR: "Vos alertes de tirage"},
		{Name: "forget", run: (*Engine).forget, Example: "forget", Help: "help.forget",
			Description: "Delete everything the bot keeps about you: alerts, settings, saved CRS profile", DescriptionFR: "Effacer tout ce que le bot garde sur vous : alertes, réglages, profil SCG enregistré"},

		{Name: "subscribe", Access: Managers, Changes: true, run: (*Engine).subscribe,
			Description:   "Post new draws here: all, or some categories, optionally only at or below a CRS",
			DescriptionFR: "Publier ici les nouvelles rondes : toutes, ou certaines catégories, éventuellement sous un seuil SCG",
			Args: []Arg{
				{Name: "categories", Type: ArgCategories, Bad: categoryBad, Description: "Categories, e.g. healthcare stem (default: every draw)", DescriptionFR: "Catégories, p. ex. healthcare stem (par défaut : toutes)"},
				{Name: "max_crs", Type: ArgInt, Min: 1, Max: maxCRS, Bad: "arg.max_crs.bad",
					Description: "Only draws whose cutoff is at or below this score", DescriptionFR: "Seulement les rondes dont le seuil est inférieur ou égal"},
				{Name: "role", Type: ArgRole, Bad: "arg.role.bad", Description: "A role to ping with each post", DescriptionFR: "Un rôle à mentionner à chaque publication"},
			}},
		{Name: "language", Access: Managers, Changes: true, run: (*Engine).language, Help: "help.language", Example: "language fr",
			Description: "Answer and post in English or French in this channel or group", DescriptionFR: "Répondre et publier en anglais ou en français dans ce salon ou ce groupe",
			Args: []Arg{{Name: "lang", Type: ArgChoice, Required: true, Choices: []string{"en", "fr", "auto"}, Missing: "language.missing", Bad: "language.bad",
				Description: "en, fr, or auto (each person's own language)", DescriptionFR: "en, fr, ou auto (la langue de chacun)"}}},
		{Name: "subscriptions", Access: Managers, run: (*Engine).subscriptions,
			Description: "The draw alerts set up here", DescriptionFR: "Les alertes de tirage configurées ici"},
		{Name: "unsubscribe", Access: Managers, Changes: true, run: (*Engine).unsubscribe,
			Description: "Stop one draw alert here, or all", DescriptionFR: "Arrêter une alerte de tirage ici, ou toutes",
			Args: []Arg{{Name: "which", Type: ArgText, Description: "Subscription number, or all", DescriptionFR: "Numéro de l'abonnement, ou all"}}},
		{Name: "announce", Access: Moderators, run: (*Engine).announce,
			Description:   "Preview a draw's post, then send it to every subscribed channel",
			DescriptionFR: "Prévisualiser la publication d'une ronde, puis l'envoyer à tous les abonnés",
			Args: []Arg{
				{Name: "draw", Type: ArgDraw, Bad: "arg.draw.bad", Description: "Draw number (default: the latest)", DescriptionFR: "Numéro de la ronde (par défaut : la dernière)"},
				{Name: "action", Type: ArgChoice, Hidden: true, Choices: []string{actionPost, actionCancel}},
				{Name: "preview", Type: ArgPreview, Hidden: true},
			}},
		{Name: "draw", Sub: "add", Access: Moderators, run: (*Engine).drawAdd,
			Usage:         "usage.draw_add",
			Description:   "Enter a draw IRCC has announced before its feed has it",
			DescriptionFR: "Saisir une ronde annoncée par IRCC avant qu'elle soit dans le flux",
			Args: []Arg{
				{Name: "number", Type: ArgDraw, Required: true, Bad: "arg.number.bad", Description: "Draw number, e.g. 438", DescriptionFR: "Numéro, p. ex. 438"},
				{Name: "date", Type: ArgDate, Required: true, Bad: "arg.date.bad", Description: "Date, YYYY-MM-DD", DescriptionFR: "Date, AAAA-MM-JJ"},
				{Name: "category", Type: ArgCategory, Required: true, Bad: "arg.category.program.bad",
					Description: "Category or program, e.g. healthcare, stem, cec", DescriptionFR: "Catégorie ou programme, p. ex. healthcare, stem, cec"},
				{Name: "invitations", Type: ArgInt, Required: true, Min: 1, Max: maxInvites, Bad: "arg.draw_add.size.bad",
					Description: "Invitations issued", DescriptionFR: "Invitations émises"},
				{Name: "crs", Type: ArgInt, Required: true, Min: 1, Max: maxCRS, Bad: "arg.draw_add.size.bad",
					Description: "CRS cutoff", DescriptionFR: "Seuil SCG"},
				{Name: "tie_break", Type: ArgText, Bad: "arg.tie_break.bad", Description: "Tie-break, YYYY-MM-DD HH:MM:SS UTC", DescriptionFR: "Règle de départage, AAAA-MM-JJ HH:MM:SS UTC"},
			}},
	}
}

// Specs lists the commands in menu order, for platform menus and
// registration.
func Specs() []Spec { return table() }
