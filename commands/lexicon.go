package commands

import "github.com/eebot/eebot/internal/domain"

// categoryPhrases are the names people give categories and programs,
// normalised (lower case, accents folded, apostrophes split), longest
// first when several overlap. They include IRCC's official English and
// French round names (../shared/data/ircc/draw_names_fr.csv) without their
// version suffixes, and the acronyms French-speaking candidates use.
var categoryPhrases = map[string]domain.Key{
	// Healthcare
	"healthcare and social services occupations":      domain.Healthcare,
	"healthcare and social services":                  domain.Healthcare,
	"health care and social services":                 domain.Healthcare,
	"healthcare occupations":                          domain.Healthcare,
	"health care":                                     domain.Healthcare,
	"social services":                                 domain.Healthcare,
	"professions de la sante et des services sociaux": domain.Healthcare,
	"professions de la sante":                         domain.Healthcare,
	"sante et services sociaux":                       domain.Healthcare,
	"soins de sante":                                  domain.Healthcare,
	// STEM
	"science technology engineering and math":           domain.STEM,
	"science technology engineering and mathematics":    domain.STEM,
	"sciences technologies ingenierie et mathematiques": domain.STEM,
	"professions des stim":                              domain.STEM,
	// Trades
	"trade occupations":   domain.Trades,
	"trades occupations":  domain.Trades,
	"skilled trades":      domain.Trades,
	"metiers specialises": domain.Trades,
	"metiers specialise":  domain.Trades,
	// Transport
	"transport occupations":  domain.Transport,
	"metiers des transports": domain.Transport,
	// Agriculture
	"agriculture and agri food":                        domain.Agriculture,
	"agriculture and agri food occupations":            domain.Agriculture,
	"metiers de l agriculture et de l agroalimentaire": domain.Agriculture,
	"agriculture et agroalimentaire":                   domain.Agriculture,
	// French
	"french language proficiency":           domain.French,
	"french language":                       domain.French,
	"french speaking":                       domain.French,
	"french speakers":                       domain.French,
	"competence linguistique en francais":   domain.French,
	"competences linguistiques en francais": domain.French,
	"langue francaise":                      domain.French,
	"en francais":                           domain.French,
	// Education
	"education occupations":      domain.Education,
	"professions de l education": domain.Education,
	// Physicians
	"physicians with canadian work experience":            domain.Physicians,
	"medecins ayant de l experience de travail au canada": domain.Physicians,
	// Senior managers
	"senior managers with canadian work experience": domain.SeniorManagers,
	"senior managers":   domain.SeniorManagers,
	"senior manager":    domain.SeniorManagers,
	"cadres superieurs": domain.SeniorManagers,
	// Military
	"skilled military recruits":     domain.Military,
	"military recruits":             domain.Military,
	"recrues militaires qualifiees": domain.Military,
	"recrues militaires":            domain.Military,
	// Researchers
	"researchers with canadian work experience": domain.Researchers,
	"chercheurs": domain.Researchers,
	// Programs
	"canadian experience class":                         domain.CEC,
	"canadian experience":                               domain.CEC,
	"categorie de l experience canadienne":              domain.CEC,
	"programme de l experience canadienne":              domain.CEC,
	"experience canadienne":                             domain.CEC,
	"provincial nominee program":                        domain.PNP,
	"provincial nominee":                                domain.PNP,
	"provincial nomination":                             domain.PNP,
	"programme des candidats des provinces":             domain.PNP,
	"candidats des provinces":                           domain.PNP,
	"federal skilled worker":                            domain.FSW,
	"federal skilled workers":                           domain.FSW,
	"programme des travailleurs qualifies":              domain.FSW,
	"travailleurs qualifies":                            domain.FSW,
	"federal skilled trades":                            domain.FST,
	"programme des travailleurs de metiers specialises": domain.FST,
	"general draw":                                      domain.General,
	"all program":                                       domain.General,
	"all programs":                                      domain.General,
	"no program specified":                              domain.NoProgram,
	"sans programme specifie":                           domain.NoProgram,
	"metiers specialises federal":                       domain.FST,
	"metiers specialises federaux":                      domain.FST,
	"aucun programme specifie":                          domain.NoProgram,
}

// categoryWords are single words that name a category or program in a
// question (aliasKey knows more, but some of its words — "all", "latest",
// "senior" — mean other things in a sentence).
var categoryWords = map[string]domain.Key{
	"healthcare": domain.Healthcare, "health": domain.Healthcare, "hc": domain.Healthcare, "medical": domain.Healthcare,
	"nursing": domain.Healthcare, "sante": domain.Healthcare, "healthcares": domain.Healthcare,
	"stem": domain.STEM, "stim": domain.STEM,
	"trades": domain.Trades, "trade": domain.Trades, "metiers": domain.Trades, "metier": domain.Trades, "tradespeople": domain.Trades,
	"transport": domain.Transport, "transportation": domain.Transport, "transports": domain.Transport, "trucking": domain.Transport,
	"agriculture": domain.Agriculture, "agri": domain.Agriculture, "agrifood": domain.Agriculture,
	"french": domain.French, "francophone": domain.French, "francophones": domain.French, "francais": domain.French, "frenchies": domain.French,
	"education": domain.Education, "teachers": domain.Education, "teacher": domain.Education, "enseignants": domain.Education,
	"physicians": domain.Physicians, "physician": domain.Physicians, "doctors": domain.Physicians, "medecins": domain.Physicians,
	"military": domain.Military, "militaire": domain.Military, "militaires": domain.Military,
	"researchers": domain.Researchers, "researcher": domain.Researchers,
	"cec": domain.CEC, "pec": domain.CEC,
	"pnp": domain.PNP, "pcp": domain.PNP, "provincial": domain.PNP, "nominee": domain.PNP,
	"fsw": domain.FSW, "fswp": domain.FSW, "ptqf": domain.FSW,
	"fst": domain.FST, "fstp": domain.FST, "ptmsf": domain.FST,
	"general": domain.General, "generale": domain.General, "generic": domain.General, "generaux": domain.General, "generales": domain.General,
}

// months maps English and French month names (and short forms) to numbers.
var months = map[string]int{
	"january": 1, "jan": 1, "janvier": 1, "janv": 1,
	"february": 2, "feb": 2, "fevrier": 2, "fevr": 2,
	"march": 3, "mar": 3, "mars": 3,
	"april": 4, "apr": 4, "avril": 4,
	"may": 5, "mai": 5,
	"june": 6, "jun": 6, "juin": 6,
	"july": 7, "jul": 7, "juillet": 7,
	"august": 8, "aug": 8, "aout": 8,
	"september": 9, "sep": 9, "sept": 9, "septembre": 9,
	"october": 10, "oct": 10, "octobre": 10,
	"november": 11, "nov": 11, "novembre": 11,
	"december": 12, "dec": 12, "decembre": 12,
}

// frenchMarkers are common French words that are not English words; a
// question holding more of them than English markers is French.
var frenchMarkers = map[string]bool{
	"le": true, "la": true, "les": true, "des": true, "du": true, "un": true, "une": true, "est": true, "quel": true, "quelle": true,
	"quels": true, "quelles": true, "dernier": true, "derniere": true, "derniers": true, "dernieres": true, "tirage": true, "tirages": true,
	"ronde": true, "rondes": true, "seuil": true, "combien": true, "prochain": true, "prochaine": true, "admissible": true, "bassin": true,
	"je": true, "mon": true, "ma": true, "mes": true, "pour": true, "avec": true, "dans": true, "sont": true, "suis": true, "ai": true,
	"quand": true, "depuis": true, "cette": true, "annee": true, "et": true, "ou": true, "qui": true, "que": true, "quoi": true,
	"categorie": true, "metiers": true, "sante": true, "francophone": true, "moyenne": true, "plus": true, "bonjour": true, "salut": true,
	"merci": true, "svp": true, "stp": true, "entre": true, "au": true, "aux": true, "de": true, "en": false, "mois": true,
	"chances": false, "aura": true, "lieu": true, "emploi": true, "profession": true, "cnp": true, "scg": true, "pcp": true, "pec": true,
	"historique": true, "nombre": true, "stim": true, "ptqf": true, "ptmsf": true, "infirmiere": true, "infirmieres": true,
	"autorisee": true, "janvier": true, "fevrier": true, "mars": true, "avril": true, "mai": true, "juin": true, "juillet": true,
	"aout": true, "septembre": true, "octobre": true, "novembre": true, "decembre": true, "seuils": true,
	"graphique": true, "courbe": true, "tendance": true, "tendances": true, "graphe": true,
}

// englishMarkers are common English words that are not French words.
var englishMarkers = map[string]bool{
	"the": true, "is": true, "what": true, "whats": true, "when": true, "was": true, "last": true, "latest": true, "draw": true,
	"draws": true, "how": true, "many": true, "my": true, "i": true, "im": true, "for": true, "with": true, "next": true, "will": true,
	"eligible": false, "pool": true, "score": true, "cutoff": true, "of": true, "in": true, "and": true, "are": true, "does": true,
	"do": true, "can": true, "any": true, "there": true, "this": true, "year": true, "round": true, "rounds": true, "hi": true,
	"hello": true, "thanks": true, "please": true, "which": true, "who": true, "average": true, "people": true, "above": true,
	"chart": true, "graph": true, "trend": true, "plot": true,
}
