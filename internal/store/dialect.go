package store

// dialect is what differs between SQLite and Postgres in the few
// statements that cannot be written once for both. Everything else is
// written once: $n parameters, ON CONFLICT, RETURNING, CAST.
type dialect struct{ pg bool }

// values is a table of the values of a JSON array bound to param, as a
// column named value: text on Postgres, the JSON value on SQLite (compare
// through CAST where the type matters).
func (d dialect) values(param, alias string) string {
	if d.pg {
		return `json_array_elements_text(` + param + `::json) AS ` + alias + `(value)`
	}
	return `json_each(` + param + `) AS ` + alias
}

// objects is a table of the objects of a JSON array bound to param, as a
// column named value that ->> reads.
func (d dialect) objects(param, alias string) string {
	if d.pg {
		return `json_array_elements(` + param + `::json) AS ` + alias + `(value)`
	}
	return `json_each(` + param + `) AS ` + alias
}

// contains is true when text expression s contains text expression sub.
func (d dialect) contains(s, sub string) string {
	if d.pg {
		return `strpos(` + s + `, ` + sub + `) > 0`
	}
	return `instr(` + s + `, ` + sub + `) > 0`
}

// greatest is the larger of two values.
func (d dialect) greatest(a, b string) string {
	if d.pg {
		return `greatest(` + a + `, ` + b + `)`
	}
	return `max(` + a + `, ` + b + `)`
}

// nonce is 24 random hex digits (within Discord's 25-character nonce).
func (d dialect) nonce() string {
	if d.pg {
		return `substr(replace(gen_random_uuid()::text, '-', ''), 1, 24)`
	}
	return `lower(hex(randomblob(12)))`
}

// indexedBy pins SQLite's planner to an index; Postgres plans alone.
func (d dialect) indexedBy(index string) string {
	if d.pg {
		return ""
	}
	return ` INDEXED BY ` + index
}

// crossJoin is an inner join that SQLite's planner must take in the order
// written (CROSS JOIN); Postgres plans alone.
func (d dialect) crossJoin() string {
	if d.pg {
		return `JOIN`
	}
	return `CROSS JOIN`
}

// skipLocked lets several replicas claim from one queue at once without
// waiting on or taking each other's rows (Postgres); SQLite has one writer.
func (d dialect) skipLocked(table string) string {
	if d.pg {
		return ` FOR UPDATE OF ` + table + ` SKIP LOCKED`
	}
	return ""
}
