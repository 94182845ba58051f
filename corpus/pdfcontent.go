package corpus

import (
	"math"
	"strings"
	"unicode/utf16"

	"github.com/ledongthuc/pdf"
)

// matrix is a PDF transformation matrix [a b c d e f].
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m × n (m applied first).
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

// textState is the part of the PDF graphics state that places text.
type textState struct {
	ctm, tm, tlm         matrix
	font                 *pdfFont
	size                 float64 // Tfs
	charSpace, wordSpace float64 // Tc, Tw
	scale                float64 // Th, 1 = 100%
	leading, rise        float64 // TL, Ts
}

// pdfFont is what text extraction needs of a font: how to decode its codes
// and how wide they are.
type pdfFont struct {
	enc pdf.TextEncoding
	// utf16 marks fonts whose codes are UTF-16BE (UniGB-UTF16-H, UCS2).
	utf16 bool
	// twoByte marks composite (Type0) fonts, whose codes are two bytes.
	twoByte bool
	// widths of the codes in 1/1000 em; dw for codes not listed.
	widths map[int]float64
	dw     float64
}

// newPDFFont reads the encoding and widths of f.
func newPDFFont(f pdf.Font) *pdfFont {
	pf := &pdfFont{widths: map[int]float64{}, dw: 0}
	encName := f.V.Key("Encoding").Name()
	if f.V.Key("Subtype").Name() == "Type0" {
		pf.twoByte = true
		pf.dw = 1000
		desc := f.V.Key("DescendantFonts").Index(0)
		if v := desc.Key("DW"); !v.IsNull() {
			pf.dw = v.Float64()
		}
		readCIDWidths(desc.Key("W"), pf.widths)
		pf.utf16 = strings.Contains(encName, "UTF16") || strings.Contains(encName, "UCS2")
	} else {
		first := int(f.V.Key("FirstChar").Int64())
		w := f.V.Key("Widths")
		for i := range min(w.Len(), 256) {
			pf.widths[first+i] = w.Index(i).Float64()
		}
		pf.dw = 500
	}
	if !pf.utf16 {
		pf.enc = f.Encoder()
	}
	return pf
}

// readCIDWidths reads the W array of a CID font: "c [w1 w2 …]" gives the
// widths of c, c+1, …; "c1 c2 w" gives w to c1 through c2.
func readCIDWidths(w pdf.Value, out map[int]float64) {
	const maxCodes = 1 << 16
	for i := 0; i < w.Len(); {
		c := int(w.Index(i).Int64())
		next := w.Index(i + 1)
		if next.Kind() == pdf.Array {
			for j := range min(next.Len(), maxCodes) {
				out[c+j] = next.Index(j).Float64()
			}
			i += 2
			continue
		}
		last := int(next.Int64())
		v := w.Index(i + 2).Float64()
		for k := c; k <= last && k-c < maxCodes; k++ {
			out[k] = v
		}
		i += 3
	}
}

// decode returns the text of raw and its advance width in 1/1000 em, not
// counting spacing, and the number of single-byte spaces (code 32) it holds.
func (f *pdfFont) decode(raw string) (text string, width float64, spaces int) {
	step := 1
	if f.twoByte {
		step = 2
	}
	for i := 0; i+step <= len(raw); i += step {
		code := int(raw[i])
		if step == 2 {
			code = code<<8 | int(raw[i+1])
		} else if code == 32 {
			spaces++
		}
		w, ok := f.widths[code]
		if !ok {
			w = f.dw
		}
		width += w
	}
	switch {
	case f.utf16:
		u := make([]uint16, 0, len(raw)/2)
		for i := 0; i+1 < len(raw); i += 2 {
			u = append(u, uint16(raw[i])<<8|uint16(raw[i+1]))
		}
		text = string(utf16.Decode(u))
	case f.enc != nil:
		text = f.enc.Decode(raw)
	default:
		text = raw
	}
	return text, width, spaces
}

// maxPDFOps bounds the operators interpreted on one page, so that a
// crafted content stream cannot keep the loader busy for long.
const maxPDFOps = 4 << 20

// maxFormDepth bounds the nesting of form XObjects that are read.
const maxFormDepth = 4

// pageRuns interprets the content stream of p, and the form XObjects it
// draws, and returns the horizontal text they show, in stream order, with
// positions in page space. Rotated text (a diagonal watermark) is left out.
func pageRuns(p pdf.Page) []pdfRun {
	var runs []pdfRun
	ops := 0
	interpretContent(p.V.Key("Contents"), p.Resources(), identity, 0, &runs, &ops)
	return runs
}

// interpretContent interprets one content stream with its resources, its
// graphics starting from ctm, appending the text it shows to runs; ops
// counts the operators interpreted so far, across forms.
func interpretContent(content, resources pdf.Value, ctm matrix, depth int, runs *[]pdfRun, ops *int) {
	fonts := map[string]*pdfFont{}
	g := textState{ctm: ctm, tm: identity, tlm: identity, scale: 1}
	var stack []textState
	show := func(raw string) {
		if g.font == nil {
			return
		}
		text, w, spaces := g.font.decode(raw)
		n := len(raw)
		if g.font.twoByte {
			n /= 2
		}
		adv := (w/1000*g.size + float64(n)*g.charSpace + float64(spaces)*g.wordSpace) * g.scale
		trm := matrix{g.size * g.scale, 0, 0, g.size, 0, g.rise}.mul(g.tm).mul(g.ctm)
		// The rendered size and advance: lengths of the text-space unit
		// vectors after the transformation.
		size := math.Hypot(trm[2], trm[3])
		unit := math.Hypot(g.tm.mul(g.ctm)[0], g.tm.mul(g.ctm)[1])
		horizontal := math.Abs(trm[1]) <= 0.05*math.Abs(trm[0]) && trm[0] > 0
		if text != "" && horizontal {
			*runs = append(*runs, pdfRun{s: text, x: trm[4], y: trm[5], w: adv * unit, fontSize: size})
		}
		g.tm = matrix{1, 0, 0, 1, adv, 0}.mul(g.tm)
	}
	nums := func(args []pdf.Value, n int) ([]float64, bool) {
		if len(args) != n {
			return nil, false
		}
		out := make([]float64, n)
		for i, a := range args {
			if a.Kind() != pdf.Integer && a.Kind() != pdf.Real {
				return nil, false
			}
			out[i] = a.Float64()
		}
		return out, true
	}
	nextLine := func(tx, ty float64) {
		g.tlm = matrix{1, 0, 0, 1, tx, ty}.mul(g.tlm)
		g.tm = g.tlm
	}
	pdf.Interpret(content, func(stk *pdf.Stack, op string) {
		n := stk.Len()
		args := make([]pdf.Value, n)
		for i := n - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		if *ops++; *ops > maxPDFOps {
			return
		}
		switch op {
		case "q":
			if len(stack) < 1<<10 {
				stack = append(stack, g)
			}
		case "Q":
			if len(stack) > 0 {
				g = stack[len(stack)-1]
				stack = stack[:len(stack)-1]
			}
		case "cm":
			if v, ok := nums(args, 6); ok {
				g.ctm = matrix(v).mul(g.ctm)
			}
		case "BT":
			g.tm, g.tlm = identity, identity
		case "Tm":
			if v, ok := nums(args, 6); ok {
				g.tm, g.tlm = matrix(v), matrix(v)
			}
		case "Td":
			if v, ok := nums(args, 2); ok {
				nextLine(v[0], v[1])
			}
		case "TD":
			if v, ok := nums(args, 2); ok {
				g.leading = -v[1]
				nextLine(v[0], v[1])
			}
		case "T*":
			nextLine(0, -g.leading)
		case "TL":
			if v, ok := nums(args, 1); ok {
				g.leading = v[0]
			}
		case "Tc":
			if v, ok := nums(args, 1); ok {
				g.charSpace = v[0]
			}
		case "Tw":
			if v, ok := nums(args, 1); ok {
				g.wordSpace = v[0]
			}
		case "Tz":
			if v, ok := nums(args, 1); ok {
				g.scale = v[0] / 100
			}
		case "Ts":
			if v, ok := nums(args, 1); ok {
				g.rise = v[0]
			}
		case "Tf":
			if len(args) != 2 || args[0].Kind() != pdf.Name {
				return
			}
			name := args[0].Name()
			f, ok := fonts[name]
			if !ok {
				f = newPDFFont(pdf.Font{V: resources.Key("Font").Key(name)})
				fonts[name] = f
			}
			g.font, g.size = f, args[1].Float64()
		case "Tj":
			if len(args) == 1 {
				show(args[0].RawString())
			}
		case "'":
			if len(args) == 1 {
				nextLine(0, -g.leading)
				show(args[0].RawString())
			}
		case "\"":
			if v, ok := nums(args[:min(2, len(args))], 2); ok && len(args) == 3 {
				g.wordSpace, g.charSpace = v[0], v[1]
				nextLine(0, -g.leading)
				show(args[2].RawString())
			}
		case "Do":
			if len(args) != 1 || args[0].Kind() != pdf.Name || depth >= maxFormDepth {
				return
			}
			form := resources.Key("XObject").Key(args[0].Name())
			if form.Key("Subtype").Name() != "Form" {
				return // images have no text
			}
			m := identity
			if v := form.Key("Matrix"); v.Len() == 6 {
				for i := range 6 {
					m[i] = v.Index(i).Float64()
				}
			}
			res := form.Key("Resources")
			if res.IsNull() {
				res = resources
			}
			interpretContent(form, res, m.mul(g.ctm), depth+1, runs, ops)
		case "TJ":
			if len(args) != 1 || args[0].Kind() != pdf.Array {
				return
			}
			a := args[0]
			for i := range a.Len() {
				x := a.Index(i)
				if x.Kind() == pdf.String {
					show(x.RawString())
					continue
				}
				tx := -x.Float64() / 1000 * g.size * g.scale
				g.tm = matrix{1, 0, 0, 1, tx, 0}.mul(g.tm)
			}
		}
	})
}
