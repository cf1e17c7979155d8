package msgtest

import (
	"encoding/binary"
	"hash/crc32"
)

// CompressRTF wraps rtf as [MS-OXRTFCP] compressed RTF (LZFu) made only
// of literal runs, ending with the reference to the write position that
// marks the end. Any conforming reader must accept it.
func CompressRTF(rtf []byte) []byte {
	const prebuffer = 207 // length of the spec's initial dictionary
	var body []byte
	w := prebuffer
	for i := 0; i < len(rtf); i += 8 {
		end := min(i+8, len(rtf))
		if end-i < 8 {
			// The last control byte: literals, then the end reference.
			body = append(body, byte(1<<(end-i)))
			body = append(body, rtf[i:end]...)
			w = (w + end - i) % 4096
			body = append(body, byte(w>>4), byte(w<<4))
			return header(body, len(rtf))
		}
		body = append(body, 0)
		body = append(body, rtf[i:end]...)
		w = (w + 8) % 4096
	}
	body = append(body, 1, byte(w>>4), byte(w<<4))
	return header(body, len(rtf))
}

func header(body []byte, raw int) []byte {
	h := make([]byte, 16)
	le := binary.LittleEndian
	le.PutUint32(h, uint32(len(body)+12))
	le.PutUint32(h[4:], uint32(raw))
	le.PutUint32(h[8:], 0x75465A4C)
	le.PutUint32(h[12:], ^crc32.Update(0xFFFFFFFF, crc32.IEEETable, body))
	return append(h, body...)
}
