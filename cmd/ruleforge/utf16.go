package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// errUTF16 is the error for input that looks like UTF-16 without a byte
// order mark to say which byte order.
var errUTF16 = errors.New("input is UTF-16 without a byte order mark (convert it to UTF-8, e.g. iconv -f UTF-16LE -t UTF-8)")

// decodeInput returns r (decompressed already, see openInput) as the UTF-8
// JSON text match reads: UTF-16 with a byte order mark (what PowerShell
// 5's ">" writes) is decoded; what
// looks like UTF-16 without one ("{" then a zero byte) is an error that
// says so, where every event would otherwise be a bad event.
func decodeInput(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	head, _ := br.Peek(2) // all it looks at: the shortest event, "{}", has as many
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		br.Discard(2)
		return &utf16Reader{r: br, little: true}, nil
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		br.Discard(2)
		return &utf16Reader{r: br}, nil
	case len(head) >= 2 && ((head[0] != 0 && head[1] == 0) || (head[0] == 0 && head[1] != 0)):
		return nil, errUTF16
	}
	return br, nil
}

// utf16Reader decodes UTF-16 text to UTF-8; an unpaired surrogate becomes
// U+FFFD.
type utf16Reader struct {
	r      *bufio.Reader
	little bool
	out    []byte // decoded, not yet returned
	high   rune   // a high surrogate waiting for its pair, or 0
	err    error
}

// Read fills p with decoded text.
func (u *utf16Reader) Read(p []byte) (int, error) {
	for len(u.out) == 0 {
		if u.err != nil {
			if u.high != 0 {
				u.out, u.high = utf8.AppendRune(u.out, utf8.RuneError), 0
				continue
			}
			return 0, u.err
		}
		u.decode()
	}
	n := copy(p, u.out)
	u.out = u.out[n:]
	return n, nil
}

// decode decodes what the buffered reader holds, at least one code unit.
func (u *utf16Reader) decode() {
	var unit [2]byte
	for range max(u.r.Buffered()/2, 1) {
		if _, err := io.ReadFull(u.r, unit[:]); err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) {
				err = io.EOF // an odd byte at the end is dropped
			}
			u.err = err
			return
		}
		c := rune(unit[0])<<8 | rune(unit[1])
		if u.little {
			c = rune(unit[1])<<8 | rune(unit[0])
		}
		switch {
		case u.high != 0 && utf16.IsSurrogate(c) && c >= 0xDC00:
			u.out = utf8.AppendRune(u.out, utf16.DecodeRune(u.high, c))
			u.high = 0
			continue
		case u.high != 0:
			u.out = utf8.AppendRune(u.out, utf8.RuneError)
			u.high = 0
		}
		if utf16.IsSurrogate(c) && c < 0xDC00 {
			u.high = c
			continue
		}
		if utf16.IsSurrogate(c) {
			c = utf8.RuneError
		}
		u.out = utf8.AppendRune(u.out, c)
	}
}
