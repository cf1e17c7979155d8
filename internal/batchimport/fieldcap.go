package batchimport

import (
	"bufio"
	"io"

	"heard/internal/consultation"
)

// MaxFieldBytes is how much of one CSV field is read: the longest answer
// allowed (consultation.MaxAnswerChars, at up to four bytes a
// character) and a margin.
// The rest of a longer field is skipped unread, so memory is bounded by
// this limit, not by the field: a row whose field was cut is refused.
const MaxFieldBytes = 4*consultation.MaxAnswerChars + 4096

// cutMark ends a field that fieldCap cut short. It holds NUL bytes, which
// no cell may contain, so it cannot be mistaken for a respondent's text.
const cutMark = "\x00cut\x00"

// fieldCap passes CSV bytes through, following the quoting well enough
// to know where each field starts and ends, and drops the bytes of a
// field past max, putting cutMark in their place.
type fieldCap struct {
	r   *bufio.Reader
	max int
	n   int // bytes of the current field passed on
	cut bool
	// quoted: inside a quoted field; quote: a quote was seen inside a
	// quoted field, which either escapes another quote or ends the field.
	quoted, quote bool
	out           []byte // pending output
}

func newFieldCap(r io.Reader, max int) *fieldCap {
	return &fieldCap{r: bufio.NewReaderSize(r, 1<<16), max: max}
}

func (c *fieldCap) Read(p []byte) (int, error) {
	for len(c.out) < len(p) {
		b, err := c.r.ReadByte()
		if err != nil {
			if len(c.out) > 0 {
				break
			}
			return 0, err
		}
		c.step(b)
	}
	n := copy(p, c.out)
	c.out = c.out[n:]
	return n, nil
}

// step handles one byte.
func (c *fieldCap) step(b byte) {
	if c.quote {
		c.quote = false
		if b == '"' { // an escaped quote: content
			c.content('"', '"')
			return
		}
		c.quoted = false
		c.emit('"')
	}
	switch {
	case c.quoted && b == '"':
		c.quote = true
	case c.quoted:
		c.content(b)
	case b == '"' && c.n == 0:
		c.quoted = true
		c.emit(b)
	case b == ',' || b == '\n':
		c.n, c.cut = 0, false
		c.emit(b)
	default:
		c.content(b)
	}
}

// content passes on bytes of a field's text while it is within max.
func (c *fieldCap) content(bs ...byte) {
	if c.cut {
		return
	}
	if c.n+len(bs) > c.max {
		c.cut = true
		c.out = append(c.out, cutMark...)
		return
	}
	c.n += len(bs)
	c.out = append(c.out, bs...)
}

func (c *fieldCap) emit(b byte) { c.out = append(c.out, b) }
