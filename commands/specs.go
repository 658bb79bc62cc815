package commands

// OptionType says how a platform should collect an option.
type OptionType int

const (
	OptString   OptionType = iota
	OptInteger             // e.g. a CRS score
	OptCategory            // one of CategoryChoices()
	OptNOC                 // a NOC code or title words; autocomplete with CompleteNOC
	OptRole                // a Discord role to mention; sent as "<@&ID>"; other platforms omit it
)

// Access says who may use a command; platforms hide commands accordingly.
type Access int

const (
	Everyone   Access = iota
	Managers          // people who can manage the channel or group (checked again at run time)
	Moderators        // the bot's configured moderators (checked again at run time)
)

// Arg is one argument of a command, in Args order.
type Arg struct {
	Name          string
	Description   string
	DescriptionFR string
	Type          OptionType
	Required      bool
	Min, Max      int // for OptInteger; both 0 means unbounded
}

// Spec describes a command for platform menus and slash-command registration.
type Spec struct {
	Name          string
	Sub           string // a subcommand the platform should show ("draw add"); sent as the first word of Args
	Description   string
	DescriptionFR string
	Args          []Arg
	Access        Access
}

// Specs lists the engine's commands in menu order.
func Specs() []Spec {
	category := func(required bool) Arg {
		return Arg{Name: "category", Description: "Category or program, e.g. healthcare, stem, cec", DescriptionFR: "Catégorie ou programme, p. ex. healthcare, stem, cec", Type: OptCategory, Required: required}
	}
	return []Spec{
		{Name: "eligible", Description: "Is a NOC code on a category list? Which versions, rules and latest draws", DescriptionFR: "Un code CNP est-il admissible à une catégorie ? Versions, règles et dernières rondes",
			Args: []Arg{{Name: "noc", Description: "NOC 2021 code or job title, e.g. 33109 or nurse", DescriptionFR: "Code CNP 2021 ou titre, p. ex. 33109 ou infirmier", Type: OptNOC, Required: true}}},
		{Name: "cutoff", Description: "Latest CRS cutoff of a category, with the change since its previous draw", DescriptionFR: "Dernier seuil SCG d'une catégorie et l'écart avec la ronde précédente",
			Args: []Arg{category(true)}},
		{Name: "draws", Description: "Latest draws, of any type or of one category", DescriptionFR: "Dernières rondes, tous types ou une catégorie",
			Args: []Arg{category(false)}},
		{Name: "history", Description: "All draws of one category, page by page", DescriptionFR: "Toutes les rondes d'une catégorie, page par page",
			Args: []Arg{category(true)}},
		{Name: "pool", Description: "Latest CRS score distribution of the pool and its change", DescriptionFR: "Dernière répartition des scores SCG du bassin et son évolution"},
		{Name: "match", Description: "How a CRS score compares with recent draws (statistics, not a prediction)", DescriptionFR: "Comparer un score SCG aux rondes récentes (statistiques, pas une prédiction)",
			Args: []Arg{{Name: "score", Description: "Your CRS score", DescriptionFR: "Votre score SCG", Type: OptInteger, Required: true, Min: 0, Max: 1200}, category(false)}},
		{Name: "noc", Description: "Search NOC 2021 unit groups by code or title", DescriptionFR: "Chercher un groupe de base de la CNP 2021 par code ou titre",
			Args: []Arg{{Name: "query", Description: "Code prefix or title words, e.g. 331 or nurse", DescriptionFR: "Début de code ou mots du titre, p. ex. 331 ou infirmier", Type: OptNOC, Required: true}}},
		{Name: "oinp", Description: "Ontario (OINP) draws: latest invitations by stream (a secondary dataset)", DescriptionFR: "Rondes de l'Ontario (POCIM) : dernières invitations par volet (données secondaires)"},
		{Name: "categories", Description: "Current Express Entry categories and their versions", DescriptionFR: "Catégories Entrée express en vigueur et leurs versions"},
		{Name: "about", Description: "What this bot does, its data source and freshness", DescriptionFR: "Ce que fait ce bot, sa source de données et leur fraîcheur"},
		{Name: "help", Description: "How to ask the bot", DescriptionFR: "Comment interroger le bot"},

		{Name: "subscribe", Access: Managers, Description: "Post new draws here: all, or some categories, optionally only at or below a CRS",
			DescriptionFR: "Publier ici les nouvelles rondes : toutes, ou certaines catégories, éventuellement sous un seuil SCG",
			Args: []Arg{
				{Name: "oinp", Description: "Ontario (OINP) draws: latest invitations by stream (a secondary dataset)", DescriptionFR: "Rondes de l'Ontario (POCIM) : dernières invitations par volet (données secondaires)"},
				{Name: "categories", Description: "Categories, e.g. healthcare stem (default: every draw)", DescriptionFR: "Catégories, p. ex. healthcare stem (par défaut : toutes)", Type: OptString},
				{Name: "max_crs", Description: "Only draws whose cutoff is at or below this score", DescriptionFR: "Seulement les rondes dont le seuil est inférieur ou égal", Type: OptInteger, Min: 1, Max: 1200},
				{Name: "role", Description: "A role to ping with each post", DescriptionFR: "Un rôle à mentionner à chaque publication", Type: OptRole},
			}},
		{Name: "subscriptions", Access: Managers, Description: "The draw alerts set up here", DescriptionFR: "Les alertes de rondes configurées ici"},
		{Name: "unsubscribe", Access: Managers, Description: "Stop one draw alert here, or all", DescriptionFR: "Arrêter une alerte de rondes ici, ou toutes",
			Args: []Arg{{Name: "which", Description: "Subscription number, or all", DescriptionFR: "Numéro de l'abonnement, ou all", Type: OptString}}},
		{Name: "announce", Access: Moderators, Description: "Preview a draw's post, then send it to every subscribed channel",
			DescriptionFR: "Prévisualiser la publication d'une ronde, puis l'envoyer à tous les abonnés",
			Args:          []Arg{{Name: "draw", Description: "Draw number (default: the latest)", DescriptionFR: "Numéro de la ronde (par défaut : la dernière)", Type: OptString}}},
		{Name: "draw", Sub: "add", Access: Moderators, Description: "Enter a draw IRCC has announced before its feed has it",
			DescriptionFR: "Saisir une ronde annoncée par IRCC avant qu'elle soit dans le flux",
			Args: []Arg{
				{Name: "number", Description: "Draw number, e.g. 438", DescriptionFR: "Numéro, p. ex. 438", Type: OptString, Required: true},
				{Name: "date", Description: "Date, YYYY-MM-DD", DescriptionFR: "Date, AAAA-MM-JJ", Type: OptString, Required: true},
				category(true),
				{Name: "invitations", Description: "Invitations issued", DescriptionFR: "Invitations émises", Type: OptInteger, Required: true, Min: 1, Max: 100000},
				{Name: "crs", Description: "CRS cutoff", DescriptionFR: "Seuil SCG", Type: OptInteger, Required: true, Min: 1, Max: 1200},
				{Name: "tie_break", Description: "Tie-break, YYYY-MM-DD HH:MM:SS UTC", DescriptionFR: "Règle de départage, AAAA-MM-JJ HH:MM:SS UTC", Type: OptString},
			}},
	}
}
