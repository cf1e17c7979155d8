package msg

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// rtfPrebuffer starts the dictionary of compressed RTF ([MS-OXRTFCP] 2.1.2.1).
const rtfPrebuffer = "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx"

// maxRTF bounds the decompressed RTF, whatever its header claims.
const maxRTF = 32 << 20

// decompressRTF undoes [MS-OXRTFCP] compression (LZFu), or unwraps
// uncompressed RTF (MELA).
func decompressRTF(b []byte) ([]byte, error) {
	if len(b) < 16 {
		return nil, errors.New("compressed RTF shorter than its header")
	}
	le := binary.LittleEndian
	compSize, rawSize, kind := le.Uint32(b), le.Uint32(b[4:]), le.Uint32(b[8:])
	data := b[16:]
	if int(compSize)-12 < len(data) && compSize >= 12 {
		data = data[:compSize-12]
	}
	switch kind {
	case 0x414C454D: // MELA: stored uncompressed
		if int(rawSize) < len(data) {
			data = data[:rawSize]
		}
		return data, nil
	case 0x75465A4C: // LZFu
	default:
		return nil, fmt.Errorf("unknown compressed RTF type %#x", kind)
	}
	var dict [4096]byte
	copy(dict[:], rtfPrebuffer)
	w := len(rtfPrebuffer)
	out := make([]byte, 0, min(int(rawSize), maxRTF))
	for i := 0; i < len(data); {
		ctrl := data[i]
		i++
		for bit := 0; bit < 8 && i < len(data); bit++ {
			if ctrl&(1<<bit) == 0 {
				out = append(out, data[i])
				dict[w] = data[i]
				w = (w + 1) % 4096
				i++
				continue
			}
			if i+1 >= len(data) {
				return nil, errors.New("compressed RTF ends inside a reference")
			}
			ref := int(data[i])<<8 | int(data[i+1])
			i += 2
			off, n := ref>>4, ref&0xF+2
			if off == w {
				return out, nil
			}
			for k := 0; k < n; k++ {
				c := dict[(off+k)%4096]
				out = append(out, c)
				dict[w] = c
				w = (w + 1) % 4096
			}
			if len(out) > maxRTF {
				return nil, fmt.Errorf("RTF expands past %d bytes", maxRTF)
			}
		}
	}
	return out, nil
}

// skipped destinations hold no body text.
var skipped = map[string]bool{
	"fonttbl": true, "colortbl": true, "stylesheet": true, "info": true, "pict": true,
	"object": true, "header": true, "footer": true, "themedata": true, "colorschememapping": true,
	"datastore": true, "latentstyles": true, "listtable": true, "listoverridetable": true,
	"rsidtbl": true, "generator": true, "xmlnstbl": true, "mmathPr": true, "filetbl": true,
	"revtbl": true, "pgdsctbl": true, "listtext": true, "fldinst": true,
}

// rtfText takes the text out of RTF. When the RTF wraps an HTML body
// (\fromhtml1, as Outlook stores HTML mail) it returns that HTML and true.
func rtfText(rtf []byte) (string, bool) {
	fromHTML := bytes.Contains(rtf[:min(len(rtf), 512)], []byte(`\fromhtml`))
	type group struct {
		skip    bool
		htmltag bool
		uc      int
	}
	st := []group{{uc: 1}}
	cp := codepageOf(1252)
	var out strings.Builder
	htmlrtf := false // inside \htmlrtf ... \htmlrtf0: RTF-only, not part of the HTML
	skipChars := 0   // fallback characters after \uN
	emit := func(s string) {
		g := st[len(st)-1]
		if g.skip || (fromHTML && htmlrtf && !g.htmltag) {
			return
		}
		if skipChars > 0 {
			skipChars--
			return
		}
		out.WriteString(s)
	}
	for i := 0; i < len(rtf); {
		c := rtf[i]
		switch c {
		case '{':
			g := st[len(st)-1]
			st = append(st, group{skip: g.skip, htmltag: g.htmltag, uc: g.uc})
			i++
		case '}':
			if len(st) > 1 {
				st = st[:len(st)-1]
			}
			i++
		case '\r', '\n':
			i++
		case '\\':
			i++
			if i >= len(rtf) {
				break
			}
			c = rtf[i]
			switch {
			case c == '\'' && i+2 < len(rtf):
				if v, err := strconv.ParseUint(string(rtf[i+1:i+3]), 16, 8); err == nil {
					emit(cp.decode([]byte{byte(v)}))
				}
				i += 3
			case c == '*':
				// An optional destination: skipped unless it is HTML we want.
				if fromHTML && bytes.HasPrefix(rtf[i+1:], []byte(`\htmltag`)) {
					st[len(st)-1].htmltag = true
				} else {
					st[len(st)-1].skip = true
				}
				i++
			case isAlpha(c):
				j := i
				for j < len(rtf) && isAlpha(rtf[j]) {
					j++
				}
				word := string(rtf[i:j])
				k := j
				if k < len(rtf) && (rtf[k] == '-' || isDigit(rtf[k])) {
					k++
					for k < len(rtf) && isDigit(rtf[k]) {
						k++
					}
				}
				arg, hasArg := 0, k > j
				if hasArg {
					arg, _ = strconv.Atoi(string(rtf[j:k]))
				}
				if k < len(rtf) && rtf[k] == ' ' {
					k++
				}
				i = k
				switch word {
				case "par", "line", "row":
					emit("\n")
				case "tab", "cell":
					emit("\t")
				case "emdash":
					emit("—")
				case "endash":
					emit("–")
				case "lquote", "rquote":
					emit("'")
				case "ldblquote", "rdblquote":
					emit(`"`)
				case "bullet":
					emit("•")
				case "ansicpg":
					cp = codepageOf(arg)
				case "uc":
					st[len(st)-1].uc = arg
				case "u":
					if arg < 0 {
						arg += 65536
					}
					emit(string(rune(arg)))
					skipChars = st[len(st)-1].uc
				case "htmlrtf":
					htmlrtf = !hasArg || arg != 0
				default:
					if skipped[word] {
						st[len(st)-1].skip = true
					}
				}
			default:
				switch c {
				case '~':
					emit("\u00a0")
				case '{', '}', '\\':
					emit(string(c))
				}
				i++
			}
		default:
			r, n := utf8.DecodeRune(rtf[i:])
			if r == utf8.RuneError {
				emit(cp.decode(rtf[i : i+1]))
				i++
			} else {
				emit(string(rtf[i : i+n]))
				i += n
			}
		}
	}
	return strings.TrimSpace(out.String()), fromHTML
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
