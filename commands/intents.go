package commands

// Word sets that signal what a question asks for. Words are normalised
// (lower case, accents folded) and typo-corrected before they are looked up.
var (
	lastWords     = set("last", "latest", "recent", "recents", "previous", "dernier", "derniere", "derniers", "dernieres", "recente", "recentes", "today", "aujourd", "newest")
	drawOne       = set("draw", "round", "tirage", "ronde", "draft")
	drawMany      = set("draws", "tirages", "rondes", "rounds")
	cutoffWords   = set("cutoff", "cut", "seuil", "seuils", "minimum", "min", "minimale", "minimal", "crs", "scg", "score", "note", "passage", "low", "lowest", "points", "tie", "breaker", "combien", "invitations", "itas", "invited", "invitees", "invitee", "happened", "happen", "looked", "look", "date", "quand", "when")
	invitedWords  = set("invitations", "itas", "invited", "invitees", "invitee")
	nextWords     = set("next", "upcoming", "soon", "prochain", "prochaine", "bientot", "another", "anytime")
	futureWords   = set("will", "sera", "seront", "va", "vont", "vais", "gonna", "going", "predict", "prediction", "predis", "prevision", "predire", "expect", "recevoir")
	guessWords    = set("predict", "prediction", "predis", "predire", "prevision", "guaranteed", "guarantee", "garanti", "garantie", "sure", "certain", "drop", "baisser", "monter", "rise", "remonter", "descendre")
	leftWords     = set("left", "remaining", "reste", "restent", "restant")
	howMany       = set("combien", "nombre", "total", "count", "number")
	aggWords      = set("average", "avg", "mean", "moyenne", "moyen", "median", "mediane", "highest", "lowest", "biggest", "largest", "smallest", "record", "max", "maximum", "haut", "bas", "gros", "grand", "petit")
	statsWords    = set("stats", "statistics", "statistiques", "statistique", "stat")
	historyWords  = set("history", "historique", "every", "all", "tous", "toutes", "complete", "complet", "full", "entire", "whole")
	listWords     = set("list", "liste", "show", "montre", "montrer")
	eligibleWords = set("eligible", "eligibility", "admissible", "admissibilite", "qualify", "qualifies", "qualified", "covered", "couvert", "eligibilite")
	eligibleWeak  = set("category", "categorie", "apply", "picked", "fit", "fits", "count", "counts", "compte", "fall", "falls", "invite", "invited", "invitee", "included", "inclus", "under", "get", "peut", "etre", "dans", "list", "liste", "lists", "part", "partie")
	nocWords      = set("noc", "cnp", "code", "lookup")
	myWords       = set("my", "i", "me", "mine", "mon", "ma", "mes", "je", "moi", "ai", "am")
	chanceWords   = set("chance", "chances", "shot", "hope", "enough", "competitive", "realistic", "odds", "possible", "close", "far", "compare", "clear", "clears", "made", "make", "jouable", "suffit", "assez", "esperer", "passe", "thoughts", "good", "bon", "loin", "vs", "versus", "get")
	poolWords     = set("pool", "bassin", "distribution", "repartition", "breakdown", "candidates", "candidats", "crowded", "taille")
	peopleWords   = set("people", "personnes", "monde", "gens", "profiles", "profils", "candidates", "candidats")
	aboveWords    = set("above", "over", "ahead", "devant", "dessus", "beyond", "plus", "more", "higher")
	atWords       = set("rank", "ranked", "stand", "situe", "classe", "where", "ou", "fall", "falls")
	greetWords    = set("hi", "hello", "hey", "hii", "heya", "yo", "bonjour", "salut", "allo", "bonsoir", "coucou", "hiya", "greetings", "there", "eebot", "bot", "morning", "good", "evening", "hola")
	categoryNoun  = set("categories", "category", "categorie")
	chartWords    = set("chart", "charts", "graph", "graphs", "graphe", "graphique", "plot", "trend", "trends", "tendance", "tendances", "courbe", "evolution", "visual", "visualize", "diagram", "diagramme")
	// calcWords ask for a score to be worked out: "calculate my crs",
	// "calculer mon score".
	calcWords = set("calculate", "calculator", "calc", "compute", "estimate", "calculer", "calculez", "calcule", "calculateur",
		"calculatrice", "calcul", "estimer", "estimation", "evaluer")
	offTopic = set("weather", "meteo", "rent", "loyer", "married", "marry", "marier", "joke", "blague", "arrima", "quebec", "pgwp")
	// everyday words, so the typo corrector never turns them into title
	// words ("right" → "light") and titles never hold them
	everyday = set("right", "now", "moment", "currently", "force", "vigueur", "ircc", "use", "targeted", "cibles", "actives", "active",
		"ever", "jamais", "recorded", "years", "year", "annee", "annees", "mois", "month", "months", "week", "semaine", "since",
		"depuis", "from", "de", "til", "till", "until", "usually", "might", "news", "there", "happen", "happened", "happening",
		"held", "need", "needed", "did", "went", "out", "down", "go", "idea", "missed", "look", "like", "score", "scores",
		"point", "points", "so", "far", "total", "viennent", "donnees", "source", "tes", "es", "qui",
		"profile", "profil", "remplir", "fill", "temps", "fait", "montreal", "toronto", "vancouver", "ottawa", "wait",
		"lol", "haha", "thoughts", "pr", "per", "across", "via", "lowest", "ranked", "candidate", "how", "many", "much",
		"m", "ll", "re", "ve", "la", "personnes", "monde", "gens", "people", "ppl", "most", "have", "has", "had", "been",
		"time", "times", "went", "out", "fois", "part", "partie", "need", "after", "before", "apres", "avant",
		"use", "used", "tie", "breaker", "breakers", "it", "what", "whats", "wat")
)

// stopWords are not part of an occupation's title: question words, verbs
// and the bot's own vocabulary, in English and French.
var stopWords = union(everyday, historyWords, listWords, lastWords, nextWords, statsWords, aggWords, howMany, cutoffWords, drawOne, drawMany, set(
	"is", "a", "an", "the", "are", "am", "i", "me", "my", "can", "could", "would", "will", "does", "do", "did", "for", "in", "on",
	"to", "under", "into", "by", "any", "what", "which", "who", "how", "where", "when", "that", "this", "there", "it", "its", "be",
	"been", "get", "got", "picked", "apply", "applied", "work", "working", "as", "job", "occupation", "fit", "fits", "fall", "falls",
	"count", "counts", "covered", "now", "currently", "still", "based", "selection", "itas", "invited", "invitations", "express",
	"entry", "also", "with", "at", "so", "just", "like", "or", "find", "use", "lookup", "digit", "number", "included", "list",
	"lists", "that", "is", "was", "were", "category", "categories", "draw", "draws", "round", "rounds", "eligible", "eligibility",
	"qualify", "qualifies", "qualified", "noc", "code", "codes", "your", "you", "we", "they", "of", "and",
	"est", "ce", "que", "qu", "une", "un", "le", "les", "l", "en", "dans", "pour", "et", "ou", "je", "suis", "mon", "ma", "mes",
	"metier", "emploi", "peut", "peux", "il", "elle", "ils", "elles", "etre", "invite", "invitee", "tirage", "tirages", "categorie",
	"compte", "admissible", "c", "quoi", "quel", "quelle", "quels", "quelles", "sont", "sur", "liste", "fait", "partie", "trouver",
	"cnp", "ronde", "rondes", "inclus", "s", "t", "y", "tu", "vous", "nous", "mais", "donc", "alors", "pas", "ne", "moi", "toi",
	"cette", "ces", "son", "sa", "ses", "qui", "se", "me", "te", "lui", "leur", "leurs", "etait", "sera", "from", "about",
	"any", "anything", "some", "someone", "eligibles", "admissibles", "use", "uses", "he", "she", "her", "his", "him",
))

// connectors may sit inside a title ("préposé aux bénéficiaires",
// "mécanicien d'équipement lourd") but never at its ends.
var connectors = set("de", "d", "du", "des", "a", "au", "aux", "la", "l", "and", "of", "en", "et")

func union(sets ...map[string]bool) map[string]bool {
	m := map[string]bool{}
	for _, s := range sets {
		for w := range s {
			m[w] = true
		}
	}
	return m
}

func set(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// kw reports whether an unused word of q is in one of the sets.
func (q *question) kw(sets ...map[string]bool) bool {
	for i, w := range q.words {
		if q.used[i] {
			continue
		}
		for _, s := range sets {
			if s[w] {
				return true
			}
		}
	}
	return false
}

// title is the longest run of words that may name an occupation: unused,
// not stop words, with connectors only inside it.
func (q *question) title() string {
	best, bestN := "", 0
	for i := 0; i < len(q.words); {
		if q.used[i] || stopWords[q.words[i]] || connectors[q.words[i]] || greetWords[q.words[i]] || startsWithDigit(q.words[i]) {
			i++
			continue
		}
		j := i
		for j < len(q.words) && !q.used[j] && !startsWithDigit(q.words[j]) && !greetWords[q.words[j]] && (!stopWords[q.words[j]] || connectors[q.words[j]]) {
			j++
		}
		k := j
		for k > i && connectors[q.words[k-1]] {
			k--
		}
		if n := k - i; n > bestN {
			best, bestN = joinWords(q.words[i:k]), n
		}
		i = j
	}
	return best
}

func joinWords(ws []string) string {
	out := ""
	for i, w := range ws {
		if i > 0 {
			out += " "
		}
		out += w
	}
	return out
}
