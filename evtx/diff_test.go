package evtx

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// corpus is the shared folder of real .evtx files, relative to this package.
const corpus = "../../shared/corpus/evtx"

// corpusFiles lists the .evtx files of the corpus, or skips t.
func corpusFiles(t testing.TB) []string {
	var files []string
	err := filepath.WalkDir(corpus, func(path string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() && strings.HasSuffix(path, ".evtx") {
			files = append(files, path)
		}
		return err
	})
	if err != nil || len(files) == 0 {
		t.Skipf("no .evtx corpus at %s (%v)", corpus, err)
	}
	return files
}

// xnode is an element as the reference tool prints it, or as this
// package reads it, in one canonical form: the name, the attributes in
// order, the child elements, and the text of an element without children.
type xnode struct {
	name  string
	attrs []string // name=value
	kids  []*xnode
	text  string
}

// String prints the tree on one line, for failure messages.
func (x *xnode) String() string {
	var b strings.Builder
	var walk func(x *xnode)
	walk = func(x *xnode) {
		fmt.Fprintf(&b, "<%s", x.name)
		for _, a := range x.attrs {
			fmt.Fprintf(&b, " %s", a)
		}
		fmt.Fprintf(&b, ">%s", x.text)
		for _, k := range x.kids {
			walk(k)
		}
		fmt.Fprintf(&b, "</%s>", x.name)
	}
	walk(x)
	return b.String()
}

// diff returns the first difference of two trees, or "".
func diff(got, want *xnode, path string) string {
	path += "/" + want.name
	switch {
	case got.name != want.name:
		return fmt.Sprintf("%s: element %q, want %q", path, got.name, want.name)
	case strings.Join(got.attrs, " ") != strings.Join(want.attrs, " "):
		return fmt.Sprintf("%s: attributes %q, want %q", path, got.attrs, want.attrs)
	case len(got.kids) != len(want.kids):
		return fmt.Sprintf("%s: %d children, want %d: got %q, want %q", path, len(got.kids), len(want.kids), got, want)
	case len(want.kids) == 0 && got.text != want.text:
		return fmt.Sprintf("%s: text %q, want %q", path, got.text, want.text)
	}
	for i := range want.kids {
		if d := diff(got.kids[i], want.kids[i], path); d != "" {
			return d
		}
	}
	return ""
}

// parseReference reads evtxexport -f xml output into its <Event> trees.
func parseReference(out []byte) ([]*xnode, error) {
	dec := xml.NewDecoder(bytes.NewReader([]byte(xmlIllegal(string(out)))))
	dec.Strict = false
	dec.Entity = xml.HTMLEntity
	var events []*xnode
	var stack []*xnode
	var text []*strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return events, nil
		}
		if err != nil {
			return events, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			x := &xnode{name: t.Name.Local}
			for _, a := range t.Attr {
				name := a.Name.Local
				if a.Name.Space == "xmlns" {
					name = "xmlns:" + name
				}
				x.attrs = append(x.attrs, name+"="+a.Value)
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, x)
			}
			stack = append(stack, x)
			text = append(text, &strings.Builder{})
		case xml.CharData:
			if len(text) > 0 {
				text[len(text)-1].Write(t)
			}
		case xml.EndElement:
			if len(stack) == 0 {
				continue
			}
			x := stack[len(stack)-1]
			x.text = text[len(text)-1].String()
			stack, text = stack[:len(stack)-1], text[:len(text)-1]
			if len(stack) == 0 && x.name == "Event" {
				events = append(events, x)
			}
		}
	}
}

// tree returns the record's tree in the reference's form, its values
// written as evtxexport writes them.
func (d *Decoder) tree() *xnode {
	var build func(n int32) *xnode
	build = func(n int32) *xnode {
		x := &xnode{name: d.nodes[n].name}
		var text strings.Builder
		for c := d.nodes[n].first; c >= 0; c = d.nodes[c].next {
			switch d.nodes[c].kind {
			case nodeAttr:
				if !d.empty(c) {
					x.attrs = append(x.attrs, d.nodes[c].name+"="+xmlIllegal(xmlEOL.Replace(d.refText(c))))
				}
			case nodeElem:
				if n := &d.nodes[c]; n.flags&flagNulled != 0 && n.first < 0 {
					continue // evtxexport leaves out an element emptied by a null optional value
				}
				x.kids = append(x.kids, build(c))
			case nodeValue:
				text.WriteString(refValue(&d.nodes[c].val))
			}
		}
		x.text = xmlIllegal(xmlEOL.Replace(text.String()))
		return x
	}
	return build(d.nodes[0].first)
}

// xmlIllegal replaces the control characters XML forbids, which
// evtxexport writes as they are, by U+FFFD, on both sides.
func xmlIllegal(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
			return '\uFFFD'
		}
		return r
	}, s)
}

// xmlEOL normalizes line ends as an XML parser does (XML 1.0, 2.11).
var xmlEOL = strings.NewReplacer("\r\n", "\n", "\r", "\n")

// refText is the text of node n's values as the reference writes them.
func (d *Decoder) refText(n int32) string {
	var s strings.Builder
	for c := d.nodes[n].first; c >= 0; c = d.nodes[c].next {
		s.WriteString(refValue(&d.nodes[c].val))
	}
	return s.String()
}

// refValue is a value as libevtx's evtxexport writes it.
func refValue(v *value) string {
	le := binary.LittleEndian
	switch v.typ {
	case typeString:
		return utf16String(v.raw)
	case typeText:
		return string(v.raw)
	case typeANSI:
		return ansi(v.raw)
	case typeHexInt32:
		return fmt.Sprintf("0x%08x", le.Uint32(v.raw))
	case typeHexInt64:
		return fmt.Sprintf("0x%016x", le.Uint64(v.raw))
	case typeGUID:
		return "{" + string(appendGUID(nil, v.raw)) + "}"
	case typeFiletime:
		ft := le.Uint64(v.raw)
		s := string(appendFiletime(nil, ft))
		return fmt.Sprintf("%s%d00Z", s[:len(s)-1], ft%10)
	}
	if v.typ&typeArray != 0 {
		var s []string
		v.eachItem(func(item value) { s = append(s, refValue(&item)) })
		return strings.Join(s, "")
	}
	return string(v.appendText(nil))
}

// ourRecords reads a file with this package: each record's id, tree, and
// whether it was written with a template.
type ourRecord struct {
	id        uint64
	tree      *xnode
	templated bool
}

func readOurs(path string) ([]ourRecord, []error, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	r, err := NewReader(f, WithoutPlans()) // the tree, which TestPlans compares the plans with
	if err != nil {
		return nil, nil, err
	}
	var recs []ourRecord
	var bad []error
	for {
		rec, err := r.Next()
		var e *Error
		switch {
		case err == io.EOF:
			return recs, bad, nil
		case errors.As(err, &e):
			bad = append(bad, err)
			continue
		case err != nil:
			return recs, bad, err
		}
		recs = append(recs, ourRecord{id: rec.ID, tree: rec.d.tree(), templated: rec.d.templated})
	}
}

// TestDifferential reads every file of the shared corpus with this package
// and with libevtx's evtxexport (Debian libevtx-utils), and compares
// every record that evtxexport exports, element by element and value by
// value. evtxexport stops at the first record written without a template
// (it cannot read those; TestNoTemplate covers them).
func TestDifferential(t *testing.T) {
	files := corpusFiles(t)
	tool, err := exec.LookPath("evtxexport")
	if err != nil {
		t.Skip("evtxexport not installed (apt-get install libevtx-utils)")
	}
	var mu sync.Mutex
	compared, ours, untemplated := 0, 0, 0
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for _, path := range files {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			out, _ := exec.Command(tool, "-f", "xml", path).Output() // exit status 1 after a record it cannot read
			want, err := parseReference(out)
			if err != nil {
				t.Errorf("%s: evtxexport output: %v", path, err)
				return
			}
			got, bad, err := readOurs(path)
			if err != nil {
				t.Errorf("%s: %v", path, err)
				return
			}
			for _, e := range bad {
				t.Errorf("%s: %v", path, e)
			}
			n, u := 0, 0
			for i, rec := range got {
				if !rec.templated {
					u++
				}
				if i >= len(want) {
					continue
				}
				if d := diff(rec.tree, want[i], ""); d != "" {
					t.Errorf("%s: record %d (id %d): %s", path, i+1, rec.id, d)
					continue
				}
				n++
			}
			if len(want) > len(got) {
				t.Errorf("%s: evtxexport exported %d records, we read %d", path, len(want), len(got))
			}
			if len(want) < len(got) && got[len(want)].templated {
				t.Errorf("%s: evtxexport stopped at record %d, which has a template", path, len(want)+1)
			}
			mu.Lock()
			compared, ours, untemplated = compared+n, ours+len(got), untemplated+u
			mu.Unlock()
		}()
	}
	wg.Wait()
	t.Logf("%d files: %d records read, %d equal to evtxexport's, %d written without templates", len(files), ours, compared, untemplated)
}
