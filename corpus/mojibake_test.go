package corpus

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// misread turns UTF-8 text into the mojibake repairMojibake undoes: each
// byte read as Windows-1252 and written out as UTF-8, with the bytes
// Windows-1252 does not define, and the soft hyphen, lost.
func misread(s string) string {
	byteRune := map[byte]rune{}
	for r, b := range cp1252High {
		byteRune[b] = r
	}
	var b strings.Builder
	for _, c := range []byte(s) {
		switch {
		case c < 0x80 || c >= 0xA0 && c != 0xAD:
			b.WriteRune(rune(c))
		case byteRune[c] != 0:
			b.WriteRune(byteRune[c])
		}
	}
	return b.String()
}

func TestRepairMojibake(t *testing.T) {
	t.Parallel()
	// Texts the statistics were not drawn from could be worse; these are
	// real documents, so the test pins the accuracy on the corpus's own
	// kind of text.
	for _, name := range []string{
		"docs/civilized-behaviour-regulations/北京市/2020_北京市文明行为促进条例.txt",
		"docs/gwr-county-baoding/高唐县/2023_高唐县2023年政府工作报告.txt",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			orig := normalizeText(string(readSample(t, name)))
			broken := misread(orig)
			if !looksMojibake(broken) {
				t.Fatalf("looksMojibake(misread text) = false")
			}
			got := repairMojibake(broken)
			if !utf8.ValidString(got) {
				t.Fatalf("repairMojibake produced invalid UTF-8")
			}
			want, have := []rune(orig), []rune(got)
			if len(want) != len(have) {
				t.Fatalf("repaired text has %d runes, want %d", len(have), len(want))
			}
			wrong := 0
			for i := range want {
				if want[i] != have[i] {
					wrong++
				}
			}
			t.Logf("%d of %d runes wrong after repair", wrong, len(want))
			if rate := float64(wrong) / float64(len(want)); rate > 0.01 {
				t.Errorf("%d of %d runes wrong after repair (%.2f%%), want at most 1%%", wrong, len(want), 100*rate)
			}
		})
	}
}

func TestRepairMojibakeLeavesTextAlone(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in string }{
		{"chinese", "海南省文明行为促进条例"},
		{"french", "Préfecture de la région — décret n° 12 «Ÿ»"},
		{"mixed", "第一条 本条例所称“文明行为”，是指……（见第15页）°C ×2"},
		{"empty", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := repairMojibake(tt.in); got != tt.in {
				t.Errorf("repairMojibake(%q) = %q, want it unchanged", tt.in, got)
			}
		})
	}
}

func TestRepairMojibakeExample(t *testing.T) {
	t.Parallel()
	// The opening of the Hainan regulation as stored in the shared corpus.
	const in = "æµ·å—çœæ–‡æ˜Žè¡Œä¸ºä¿ƒè¿›æ¡ä¾‹ï¼ˆ2020å¹´9æœˆ30æ—¥æµ·å—çœç¬¬å…å±Šäººæ°‘ä»£è¡¨å¤§ä¼šå¸¸åŠ¡å§”å‘˜ä¼šç¬¬äºŒåä¸‰æ¬¡ä¼šè®®é€šè¿‡ï¼‰"
	const want = "海南省文明行为促进条例（2020年9月30日海南省第六届人民代表大会常务委员会第二十三次会议通过）"
	if got := repairMojibake(in); got != want {
		t.Errorf("repairMojibake(%q) = %q, want %q", in, got, want)
	}
	// Other scripts are repaired too, and genuine Latin-1 letters kept.
	const fr, frWant = "café: Ã©tÃ© dÃ©cret, Ã\u00a0 Paris", "café: été décret, à Paris"
	if got := repairMojibake(fr); got != frWant {
		t.Errorf("repairMojibake(%q) = %q, want %q", fr, got, frWant)
	}
}
