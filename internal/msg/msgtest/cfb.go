// Package msgtest writes Outlook .msg files for tests: compound files
// laid out as [MS-CFB] version 3 describes (512-byte sectors, a mini
// stream for streams under 4096 bytes), holding MAPI properties as
// [MS-OXMSG] describes. It exists so tests can use real .msg bytes
// without shipping opaque binaries, and so the reader is checked against
// the published specifications rather than against itself.
package msgtest

import (
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
	"unicode/utf16"
)

// Node is a storage (Children set, Data nil) or a stream in a compound file.
type Node struct {
	Name     string
	Data     []byte
	Children []*Node
	storage  bool
}

// Storage returns a storage node holding children.
func Storage(name string, children ...*Node) *Node {
	return &Node{Name: name, Children: children, storage: true}
}

// Stream returns a stream node.
func Stream(name string, data []byte) *Node {
	return &Node{Name: name, Data: data}
}

const (
	sectorSize     = 512
	miniSectorSize = 64
	miniCutoff     = 4096
	endOfChain     = 0xFFFFFFFE
	freeSect       = 0xFFFFFFFF
	fatSect        = 0xFFFFFFFD
	noStream       = 0xFFFFFFFF
)

type dirEntry struct {
	node               *Node
	left, right, child uint32
	start              uint32
	size               uint64
	objType            byte
}

// CFB lays out the root's children as a compound file.
func CFB(children ...*Node) []byte {
	root := &Node{Name: "Root Entry", Children: children, storage: true}
	var dirs []*dirEntry
	var add func(n *Node) uint32
	add = func(n *Node) uint32 {
		i := uint32(len(dirs))
		e := &dirEntry{node: n, left: noStream, right: noStream, child: noStream, start: endOfChain}
		switch {
		case n == root:
			e.objType = 5
		case n.storage:
			e.objType = 1
		default:
			e.objType = 2
		}
		dirs = append(dirs, e)
		if n.storage {
			kids := append([]*Node(nil), n.Children...)
			sort.Slice(kids, func(a, b int) bool { return less(kids[a].Name, kids[b].Name) })
			idx := make([]uint32, len(kids))
			for k, c := range kids {
				idx[k] = add(c)
			}
			e.child = tree(dirs, idx)
		}
		return i
	}
	add(root)

	// Small streams go to the mini stream, large ones to sectors of their own.
	var mini []byte
	var miniFAT []uint32
	for _, e := range dirs {
		if e.objType != 2 {
			continue
		}
		e.size = uint64(len(e.node.Data))
		if len(e.node.Data) == 0 || len(e.node.Data) >= miniCutoff {
			continue
		}
		first := uint32(len(mini) / miniSectorSize)
		n := (len(e.node.Data) + miniSectorSize - 1) / miniSectorSize
		for k := 0; k < n; k++ {
			next := first + uint32(k) + 1
			if k == n-1 {
				next = endOfChain
			}
			miniFAT = append(miniFAT, next)
		}
		mini = append(mini, pad(e.node.Data, miniSectorSize)...)
		e.start = first
	}

	// Sector layout: FAT, directory, mini FAT, mini stream, big streams.
	nDir := (len(dirs) + 3) / 4
	nMiniFAT := (len(miniFAT)*4 + sectorSize - 1) / sectorSize
	nMini := (len(mini) + sectorSize - 1) / sectorSize
	nBig := 0
	for _, e := range dirs {
		if e.objType == 2 && len(e.node.Data) >= miniCutoff {
			nBig += (len(e.node.Data) + sectorSize - 1) / sectorSize
		}
	}
	rest := nDir + nMiniFAT + nMini + nBig
	nFAT := 1
	for nFAT*128 < nFAT+rest {
		nFAT++
	}
	if nFAT > 109 {
		panic(fmt.Sprintf("msgtest: %d FAT sectors: more than the header's DIFAT holds", nFAT))
	}
	fat := make([]uint32, nFAT*128)
	for i := range fat {
		fat[i] = freeSect
	}
	for i := 0; i < nFAT; i++ {
		fat[i] = fatSect
	}
	next := uint32(nFAT)
	chain := func(n int) uint32 {
		if n == 0 {
			return endOfChain
		}
		first := next
		for k := 0; k < n; k++ {
			fat[next] = next + 1
			if k == n-1 {
				fat[next] = endOfChain
			}
			next++
		}
		return first
	}
	dirStart := chain(nDir)
	miniFATStart := chain(nMiniFAT)
	miniStart := chain(nMini)
	dirs[0].start, dirs[0].size = miniStart, uint64(len(mini))
	var big []byte
	for _, e := range dirs {
		if e.objType == 2 && len(e.node.Data) >= miniCutoff {
			e.start = chain((len(e.node.Data) + sectorSize - 1) / sectorSize)
			big = append(big, pad(e.node.Data, sectorSize)...)
		}
	}

	out := make([]byte, sectorSize)
	h := out
	copy(h, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	le := binary.LittleEndian
	le.PutUint16(h[24:], 0x003E)
	le.PutUint16(h[26:], 0x0003)
	le.PutUint16(h[28:], 0xFFFE)
	le.PutUint16(h[30:], 9)
	le.PutUint16(h[32:], 6)
	le.PutUint32(h[44:], uint32(nFAT))
	le.PutUint32(h[48:], dirStart)
	le.PutUint32(h[56:], miniCutoff)
	le.PutUint32(h[60:], miniFATStart)
	le.PutUint32(h[64:], uint32(nMiniFAT))
	le.PutUint32(h[68:], endOfChain)
	for i := 0; i < 109; i++ {
		v := uint32(freeSect)
		if i < nFAT {
			v = uint32(i)
		}
		le.PutUint32(h[76+4*i:], v)
	}
	for _, v := range fat {
		out = le.AppendUint32(out, v)
	}
	dirBytes := make([]byte, nDir*sectorSize)
	for i := range nDir * 4 {
		b := dirBytes[i*128 : (i+1)*128]
		if i >= len(dirs) {
			le.PutUint32(b[68:], noStream)
			le.PutUint32(b[72:], noStream)
			le.PutUint32(b[76:], noStream)
			continue
		}
		e := dirs[i]
		name := utf16.Encode([]rune(e.node.Name))
		if len(name) > 31 {
			panic("msgtest: name longer than 31 characters: " + e.node.Name)
		}
		for k, c := range name {
			le.PutUint16(b[2*k:], c)
		}
		le.PutUint16(b[64:], uint16(2*(len(name)+1)))
		b[66] = e.objType
		b[67] = 1 // black
		le.PutUint32(b[68:], e.left)
		le.PutUint32(b[72:], e.right)
		le.PutUint32(b[76:], e.child)
		if e.objType != 1 {
			le.PutUint32(b[116:], e.start)
			le.PutUint64(b[120:], e.size)
		}
	}
	out = append(out, dirBytes...)
	mf := make([]byte, nMiniFAT*sectorSize)
	for i := range mf {
		mf[i] = 0xFF
	}
	for i, v := range miniFAT {
		le.PutUint32(mf[4*i:], v)
	}
	out = append(out, mf...)
	out = append(out, pad(mini, sectorSize)...)
	out = append(out, big...)
	return out
}

// tree links the sorted siblings idx as a balanced binary tree and
// returns its root.
func tree(dirs []*dirEntry, idx []uint32) uint32 {
	if len(idx) == 0 {
		return noStream
	}
	m := len(idx) / 2
	e := dirs[idx[m]]
	e.left = tree(dirs, idx[:m])
	e.right = tree(dirs, idx[m+1:])
	return idx[m]
}

// less is the compound file's sibling order: shorter names first, then by
// upper-cased UTF-16 code units.
func less(a, b string) bool {
	ua, ub := utf16.Encode([]rune(strings.ToUpper(a))), utf16.Encode([]rune(strings.ToUpper(b)))
	if len(ua) != len(ub) {
		return len(ua) < len(ub)
	}
	for i := range ua {
		if ua[i] != ub[i] {
			return ua[i] < ub[i]
		}
	}
	return false
}

func pad(b []byte, n int) []byte {
	if r := len(b) % n; r != 0 {
		return append(append([]byte(nil), b...), make([]byte, n-r)...)
	}
	return b
}
