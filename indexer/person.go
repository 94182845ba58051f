package indexer

import (
	_ "embed"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// personTitles are titles that, directly followed by a name, mark a person:
// 区长刘敬涛, 市委书记张三. Longer titles come first so that 副区长 wins
// over 区长.
var personTitles = []string{
	"常务副省长", "常务副市长", "常务副区长", "常务副县长",
	"副省长", "副市长", "副区长", "副县长", "副主席", "副主任", "副书记", "副总理", "副部长", "副局长", "副厅长", "副院长", "副校长",
	"省长", "市长", "区长", "县长", "镇长", "乡长", "主席", "主任", "书记", "总理", "部长", "局长", "厅长", "院长", "校长", "董事长", "总经理", "秘书长",
}

// roleQualifiers may precede a title and belong to the role: 市委书记.
var roleQualifiers = []string{"省委", "市委", "区委", "县委", "党委", "党组", "党工委"}

// surnames are common Chinese surnames (single and double), the first
// character(s) of a name after a title.
var surnames = func() map[string]bool {
	const single = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
	m := map[string]bool{}
	for _, r := range single {
		m[string(r)] = true
	}
	for _, s := range []string{"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文", "司徒", "夏侯"} {
		m[s] = true
	}
	return m
}()

// nameFollowers are words that may directly follow a name and end it:
// 刘敬涛在会上, 张三表示, 李四同志.
var nameFollowers = []string{"同志", "各位", "表示", "指出", "强调", "主持", "出席", "介绍", "说", "在", "代表", "作", "等", "和", "与", "及", "为", "率", "带领", "一行", "到", "赴", "来", "对", "向", "的", "是", "就", "也", "还", "先生", "女士"}

//go:embed dict/people-v1.txt
var knownPeopleData string

// knownPeople are the names of dict/people-v1.txt.
var knownPeople = sync.OnceValue(func() []string {
	return strings.Fields(stripComments(knownPeopleData))
})

// ParsePeople finds people named after a title (区长刘敬涛, 市委书记张三):
// a title, then a two- or three-character name starting with a common
// surname and ending at punctuation, the end of the text or a word such as
// 在/表示/同志, and the state leaders of dict/people-v1.txt wherever they
// are named. Anything less certain is left out: a wrong person is worse
// than a missed one. Entities have KindPerson, Value the name, Role the
// title, byte offsets of the name.
func ParsePeople(text string) []Entity {
	var out []Entity
	starts := personStarts()
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !starts[r] {
			// Most characters start neither a title nor a known name.
			i += size
			continue
		}
		if name := knownAt(text, i); name != "" {
			out = append(out, Entity{Kind: KindPerson, Value: name, Text: name, Start: i, End: i + len(name)})
			i += len(name)
			continue
		}
		title := titleAt(text, i)
		if title == "" {
			_, size := utf8.DecodeRuneInString(text[i:])
			i += size
			continue
		}
		start := i + len(title)
		// Report headers run the title and the name together with a space
		// between (县长 张锐).
		for start < len(text) && (text[start] == ' ' || strings.HasPrefix(text[start:], "\u3000")) {
			_, size := utf8.DecodeRuneInString(text[start:])
			start += size
		}
		if name, ok := nameAt(text, start); ok {
			role := title
			for _, q := range roleQualifiers {
				if strings.HasSuffix(text[:i], q) {
					role = q + title
					break
				}
			}
			out = append(out, Entity{Kind: KindPerson, Value: name, Text: name, Start: start, End: start + len(name), Role: role})
			i = start + len(name)
			continue
		}
		i = start
	}
	return out
}

// personStarts is the set of first characters of the titles and known
// names, to skip the rest of a text quickly.
var personStarts = sync.OnceValue(func() map[rune]bool {
	m := map[rune]bool{}
	for _, s := range append(slices.Clone(personTitles), knownPeople()...) {
		r, _ := utf8.DecodeRuneInString(s)
		m[r] = true
	}
	return m
})

// knownAt returns the known person's name starting at text[i:], or "".
func knownAt(text string, i int) string {
	for _, n := range knownPeople() {
		if strings.HasPrefix(text[i:], n) {
			return n
		}
	}
	return ""
}

// titleAt returns the person title starting at text[i:], or "".
func titleAt(text string, i int) string {
	for _, t := range personTitles {
		if strings.HasPrefix(text[i:], t) {
			return t
		}
	}
	return ""
}

// nameAt returns a name of two or three Han characters at text[i:] that
// starts with a surname and is followed by a name boundary; three
// characters are tried first.
func nameAt(text string, i int) (string, bool) {
	var ends []int
	j := i
	for n := 0; n < 4 && j < len(text); n++ {
		r, size := utf8.DecodeRuneInString(text[j:])
		if !unicode.Is(unicode.Han, r) {
			break
		}
		j += size
		ends = append(ends, j)
	}
	for _, n := range []int{3, 2} {
		if len(ends) < n {
			continue
		}
		name := text[i:ends[n-1]]
		if !hasSurname(name) || !nameBoundary(text, ends[n-1]) {
			continue
		}
		return name, true
	}
	return "", false
}

func hasSurname(name string) bool {
	r, size := utf8.DecodeRuneInString(name)
	if surnames[string(r)] {
		return true
	}
	if r2, size2 := utf8.DecodeRuneInString(name[size:]); size2 > 0 {
		return surnames[string(r)+string(r2)]
	}
	return false
}

// nameBoundary reports whether a name may end at text[i:].
func nameBoundary(text string, i int) bool {
	if i >= len(text) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	if !unicode.Is(unicode.Han, r) && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
		return true
	}
	for _, f := range nameFollowers {
		if strings.HasPrefix(text[i:], f) {
			return true
		}
	}
	return false
}
