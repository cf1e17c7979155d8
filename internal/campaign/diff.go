package campaign

import (
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// DiffOp is one run of a word diff: words kept, added or removed.
type DiffOp struct {
	Kind  string // "same", "added" or "removed"
	Words string
}

// WordDiff compares a member's normalised words with the canonical text's:
// what the sender added and what they took out. Words are diffed as units
// (each mapped to one rune), so a changed word never shows as changed
// letters.
func WordDiff(canonical, member string) (ops []DiffOp, added, removed int) {
	a := strings.Join(Words(canonical), "\n") + "\n"
	b := strings.Join(Words(member), "\n") + "\n"
	dmp := diffmatchpatch.New()
	ra, rb, lines := dmp.DiffLinesToRunes(a, b)
	diffs := dmp.DiffCharsToLines(dmp.DiffMainRunes(ra, rb, false), lines)
	for _, d := range diffs {
		text := strings.TrimSuffix(d.Text, "\n")
		if text == "" {
			continue
		}
		n := strings.Count(text, "\n") + 1
		op := DiffOp{Words: strings.ReplaceAll(text, "\n", " ")}
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			op.Kind, added = "added", added+n
		case diffmatchpatch.DiffDelete:
			op.Kind, removed = "removed", removed+n
		default:
			op.Kind = "same"
		}
		ops = append(ops, op)
	}
	return ops, added, removed
}

// SubstantialAddedWords is the number of added words from which a
// member's added text is listed for reading and coding.
const SubstantialAddedWords = 10
