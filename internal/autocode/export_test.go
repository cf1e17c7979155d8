package autocode

// The thesaurus texts, for tests in autocode_test.
const (
	BaseSynonyms = synonyms
	MoreSynonyms = moreSynonyms
)
