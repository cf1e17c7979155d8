package batchimport

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
)

// How a CSV file's bytes are read. A file that is valid UTF-8 is UTF-8.
// One that is not is read as Windows-1252 (what Excel on Windows saves)
// only when it has no UTF-8 sequences at all and every byte is defined in
// Windows-1252, so the whole file decodes cleanly. Otherwise it is read
// as UTF-8 and every row holding a byte that is not is refused, naming
// the column and the byte's offset: nothing is ever stored as U+FFFD. An
// admin who knows better says the file's encoding (--encoding).

// fileEncoding is what sniffEncoding learnt about a file.
type fileEncoding struct {
	dec  *encoding.Decoder // nil: read the bytes as UTF-8
	name string            // for messages
	// bad holds the offsets of the first bytes that are not valid UTF-8
	// (when dec is nil); why says what is wrong with them.
	bad []int64
	why string
}

// maxBadOffsets bounds how many invalid bytes are remembered: a file
// with more is refused for its first ones.
const maxBadOffsets = 1000

// undefined1252 are the bytes Windows-1252 leaves undefined.
func undefined1252(b byte) bool { return b == 0x81 || b == 0x8D || b == 0x8F || b == 0x90 || b == 0x9D }

// ErrEncoding is an --encoding that Heard does not know.
var ErrEncoding = errors.New("unknown encoding")

// sniffEncoding decides how to read the file at path; declared is the
// admin's --encoding, if given.
func sniffEncoding(path, declared string) (fileEncoding, error) {
	if declared != "" && !isUTF8Name(declared) {
		e, err := htmlindex.Get(declared)
		if err != nil {
			return fileEncoding{}, fmt.Errorf("%w %q: use utf-8, windows-1252, iso-8859-1 or another WHATWG encoding name", ErrEncoding, declared)
		}
		name, _ := htmlindex.Name(e)
		return fileEncoding{dec: e.NewDecoder(), name: name}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return fileEncoding{}, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	var fe fileEncoding
	var off int64
	multibyte := false
	var undefinedAt []int64 // bytes Windows-1252 does not define
	for {
		r, size, err := br.ReadRune()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fileEncoding{}, err
		}
		switch {
		case r == utf8.RuneError && size == 1:
			if len(fe.bad) < maxBadOffsets {
				fe.bad = append(fe.bad, off)
			}
			br.UnreadRune() //nolint:errcheck // just read
			if b, _ := br.ReadByte(); undefined1252(b) && len(undefinedAt) < maxBadOffsets {
				undefinedAt = append(undefinedAt, off)
			}
		case size > 1 && !(off == 0 && r == '\uFEFF'):
			multibyte = true
		}
		off += int64(size)
	}
	switch {
	case len(fe.bad) == 0:
		return fileEncoding{name: "UTF-8"}, nil
	case declared != "":
		fe.why = "is not valid UTF-8, the encoding given for the file"
	case multibyte:
		fe.why = "is not valid UTF-8, though the rest of the file is UTF-8: correct it, or give the file's encoding (--encoding)"
	case len(undefinedAt) > 0:
		fe.bad = undefinedAt
		fe.why = "is neither valid UTF-8 nor a character in Windows-1252: give the file's encoding (--encoding)"
	default:
		return fileEncoding{dec: charmap.Windows1252.NewDecoder(), name: "windows-1252"}, nil
	}
	fe.name = "UTF-8"
	return fe, nil
}

func isUTF8Name(s string) bool {
	s = strings.ToLower(strings.ReplaceAll(s, "-", ""))
	return s == "utf8"
}

// peekAt reads the byte at off; only called for the few invalid bytes.
func peekAt(path string, off int64) (byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	b := make([]byte, 1)
	_, err = f.ReadAt(b, off)
	return b[0], err
}

// fieldError is a problem with one field of a row.
type fieldError struct {
	col    int // 0-based
	reason string
}

func (e *fieldError) Error() string { return fmt.Sprintf("column %d: %s", e.col+1, e.reason) }

// checkFields finds the first field of a record read as UTF-8 that is
// not, or read through a decoder that met a byte it does not define.
// start and end are the record's byte offsets in the file.
func (fe fileEncoding) checkFields(path string, rec []string, start, end int64) error {
	for i, v := range rec {
		switch {
		case fe.dec == nil && !utf8.ValidString(v):
			off := int64(-1)
			for _, b := range fe.bad {
				if b >= start && b < end {
					off = b
					break
				}
			}
			if off < 0 {
				return &fieldError{col: i, reason: "holds a byte that is not valid UTF-8"}
			}
			b, _ := peekAt(path, off)
			return &fieldError{col: i, reason: fmt.Sprintf("byte 0x%02X at byte offset %d %s", b, off, fe.why)}
		case fe.dec != nil && strings.ContainsRune(v, utf8.RuneError):
			return &fieldError{col: i, reason: fmt.Sprintf("holds a byte that is not a character in %s, the file's encoding: check the encoding", fe.name)}
		}
	}
	return nil
}
