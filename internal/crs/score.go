package crs

// Factor names one line of a breakdown.
type Factor string

// The factors, by section.
const (
	// A. Core / human capital
	Age            Factor = "age"
	Level          Factor = "education"
	FirstLanguage  Factor = "first_language"
	SecondLanguage Factor = "second_language"
	CanadianWork   Factor = "canadian_work"
	// B. Spouse or common-law partner
	SpouseEducation    Factor = "spouse_education"
	SpouseLanguage     Factor = "spouse_language"
	SpouseCanadianWork Factor = "spouse_canadian_work"
	// C. Skill transferability
	EducationLanguage   Factor = "education_language"
	EducationCanadian   Factor = "education_canadian"
	ForeignLanguage     Factor = "foreign_language"
	ForeignCanadian     Factor = "foreign_canadian"
	CertificateLanguage Factor = "certificate_language"
	// D. Additional points
	Nomination Factor = "provincial_nomination"
	Sibling    Factor = "sibling"
	FrenchOK   Factor = "french"
	StudyIn    Factor = "study"
	Arranged   Factor = "arranged_employment"
)

// Item is one factor's points; Raw is before any cap of the factor itself
// (the second official language's 22/24).
type Item struct {
	Factor      Factor
	Points, Raw int
}

// Group is the items that share a cap: a skill transferability group
// (education, foreign work experience, certificate of qualification), or a
// whole section.
type Group struct {
	Name        string // "education", "foreign", "certificate"; "" for a section's own items
	Items       []Item
	Raw, Points int // before and after the cap
	Max         int
}

// Section is one of the four parts of the CRS.
type Section struct {
	Groups      []Group
	Raw, Points int // before and after the section's cap
	Max         int
}

// Item returns a factor of the section, its points after its own cap.
func (s Section) Item(f Factor) (Item, bool) {
	for _, g := range s.Groups {
		for _, it := range g.Items {
			if it.Factor == f {
				return it, true
			}
		}
	}
	return Item{}, false
}

// Capped reports whether the section's own cap took points off (a
// group's cap shows in its Group).
func (s Section) Capped() bool {
	sum := 0
	for _, g := range s.Groups {
		sum += g.Points
	}
	return sum > s.Points
}

// Breakdown is a score with every section and cap.
type Breakdown struct {
	Rules           *Rules
	Spouse          bool // scored with an accompanying spouse
	First           Lang // the first official language used ("" with no result)
	Core            Section
	SpouseFactors   Section
	Transferability Section
	Additional      Section
	Total           int
}

// Score scores p under r. A profile with both languages and no First is
// scored both ways, and the higher is kept (English when they tie).
func (r *Rules) Score(p Profile) Breakdown {
	if p.First != "" || !p.English.Taken || !p.French.Taken {
		first := p.First
		if first == "" {
			first = English
			if p.French.Taken && !p.English.Taken {
				first = French
			}
		}
		return r.score(p, first)
	}
	en, fr := r.score(p, English), r.score(p, French)
	if fr.Total > en.Total {
		return fr
	}
	return en
}

func (r *Rules) score(p Profile, first Lang) Breakdown {
	spouse := p.Spouse
	c := col(spouse)
	b := Breakdown{Rules: r, Spouse: spouse}
	firstRes, secondRes := p.result(first), p.result(first.other())
	if firstRes.Taken {
		b.First = first
	}

	// A. Core / human capital.
	edu := p.Education
	if edu.Rank() < 0 {
		edu = EduNone
	}
	core := Group{}
	core.add(Age, band(r.Core.Age, p.Age)[1+c])
	core.add(Level, r.Core.Education[edu][c])
	first4 := 0
	if firstRes.Taken {
		for _, l := range firstRes.Levels {
			first4 += band(r.Core.FirstLanguage, l)[1+c]
		}
	}
	core.add(FirstLanguage, first4)
	second4 := 0
	if secondRes.Taken {
		for _, l := range secondRes.Levels {
			second4 += band(r.Core.SecondLanguage, l)[1+c]
		}
	}
	core.Items = append(core.Items, Item{Factor: SecondLanguage, Raw: second4, Points: min(second4, r.Caps.SecondLanguage[c])})
	core.Raw += second4
	core.Points += min(second4, r.Caps.SecondLanguage[c])
	core.add(CanadianWork, band(r.Core.CanadianWork, p.CanadianWork)[1+c])
	b.Core = section(r.Caps.Core[c], core)

	// B. Spouse or common-law partner.
	if spouse {
		sp := Group{}
		sedu := p.SpouseEducation
		if sedu.Rank() < 0 {
			sedu = EduNone
		}
		sp.add(SpouseEducation, r.SpouseFactors.Education[sedu])
		lang := 0
		if p.SpouseLanguage.Taken {
			for _, l := range p.SpouseLanguage.Levels {
				lang += band(r.SpouseFactors.Language, l)[1]
			}
		}
		sp.add(SpouseLanguage, lang)
		sp.add(SpouseCanadianWork, band(r.SpouseFactors.CanadianWork, p.SpouseCanadianWork)[1])
		b.SpouseFactors = section(r.Caps.Spouse, sp)
	}

	// C. Skill transferability: a table's lower column for the first band
	// of its condition, the upper for the second.
	t := r.Transfer
	minFirst := firstRes.Min()
	column := func(v int, bands [2]int) int {
		switch {
		case v >= bands[1]:
			return 1
		case v >= bands[0]:
			return 0
		}
		return -1
	}
	pts := func(tier int, table [2][2]int, column int) int {
		if tier == 0 || column < 0 {
			return 0
		}
		return table[tier-1][column]
	}
	eduTier := t.EducationTier[edu]
	foreignTier := band(t.ForeignTier, p.ForeignWork)[1]
	langCol := column(minFirst, t.LanguageColumns)
	canCol := column(p.CanadianWork, t.CanadianColumns)
	eg := Group{Name: "education"}
	eg.add(EducationLanguage, pts(eduTier, t.EducationLanguage, langCol))
	eg.add(EducationCanadian, pts(eduTier, t.EducationCanadian, canCol))
	fg := Group{Name: "foreign"}
	fg.add(ForeignLanguage, pts(foreignTier, t.ForeignLanguage, langCol))
	fg.add(ForeignCanadian, pts(foreignTier, t.ForeignCanadian, canCol))
	cg := Group{Name: "certificate"}
	cert := 0
	if p.Certificate {
		if k := column(minFirst, t.CertificateColumns); k >= 0 {
			cert = t.CertificateLanguage[k]
		}
	}
	cg.add(CertificateLanguage, cert)
	for _, g := range []*Group{&eg, &fg, &cg} {
		g.Max = r.Caps.TransferabilityGroup
		g.Points = min(g.Raw, g.Max)
	}
	b.Transferability = section(r.Caps.Transferability, eg, fg, cg)

	// D. Additional points.
	a := r.Additional
	add := Group{}
	if p.Nomination {
		add.add(Nomination, a.Nomination)
	}
	if p.Sibling {
		add.add(Sibling, a.Sibling)
	}
	if p.French.Taken && p.French.Min() >= a.FrenchNCLC {
		if p.English.Taken && p.English.Min() >= a.FrenchEnglish {
			add.add(FrenchOK, a.FrenchBoth)
		} else {
			add.add(FrenchOK, a.FrenchAlone)
		}
	}
	if s := a.Study[p.Study]; s > 0 {
		add.add(StudyIn, s)
	}
	if p.Offer != OfferNone {
		add.add(Arranged, a.Offer[string(p.Offer)])
	}
	b.Additional = section(r.Caps.Additional, add)

	b.Total = min(b.Core.Points+b.SpouseFactors.Points+b.Transferability.Points+b.Additional.Points, r.Caps.Total)
	return b
}

// add appends a factor's points to a group.
func (g *Group) add(f Factor, points int) {
	g.Items = append(g.Items, Item{Factor: f, Points: points, Raw: points})
	g.Raw += points
	g.Points += points
}

// section caps groups into a section.
func section(cap int, groups ...Group) Section {
	s := Section{Max: cap, Groups: groups}
	for _, g := range groups {
		s.Raw += g.Raw
		s.Points += g.Points
	}
	s.Points = min(s.Points, cap)
	return s
}
