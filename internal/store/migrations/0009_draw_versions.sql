-- The newest draws of one category version ("the latest draw held under a
-- version that listed this job"), read as one index range at any size of
-- history instead of a scan of the category.
CREATE INDEX draws_version ON draws (category, version, date DESC, seq DESC, number DESC);
