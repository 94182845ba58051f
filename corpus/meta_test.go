package corpus

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestExtractMeta checks metadata found in the text, on heads, metadata
// tables and signature blocks of real documents of the shared corpus.
func TestExtractMeta(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, title, body string
		want              textMeta
	}{
		{
			name:  "number under the title, signature block",
			title: "国务院办公厅关于调整国务院第二次全国污染源普查领导小组组成人员的通知",
			body: "国务院办公厅关于调整国务院第二次\n全国污染源普查领导小组组成人员的通知\n国办函〔2018〕74号\n" +
				"各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n根据机构设置、人员变动情况和工作需要，国务院决定对国务院第二次全国污染源普查领导小组（以下简称领导小组）组成人员进行相应调整。\n" +
				"国务院办公厅\n2018年11月5日\n（此件公开发布）",
			want: textMeta{DocNumber: "国办函〔2018〕74号", Issuer: "国务院办公厅", Written: "2018-11-05"},
		},
		{
			name:  "a reference in the text is not the number; issuer and date on one line",
			title: "国务院关于同意乌鲁木齐、昌吉、石河子高新技术产业开发区建设国家自主创新示范区的批复",
			body: "科技部、新疆维吾尔自治区人民政府、新疆生产建设兵团：\n你们关于支持乌鲁木齐、昌吉、石河子高新技术产业开发区建设国家自主创新示范区的请示（国科发高〔2018〕235号）收悉。现批复如下：\n" +
				"国务院　　　　2018年11月23日\n",
			want: textMeta{Issuer: "国务院", Written: "2018-11-23"},
		},
		{
			name:  "gov.cn metadata table, several labels on a line, spaced labels",
			title: "国务院关于同意乌鲁木齐、昌吉、石河子高新技术产业开发区建设国家自主创新示范区的批复",
			body: "索 引 号： 000014349/2018-00190 主题分类： 科技、教育\\科技\n发文机关： 国务院 成文日期： 2018年11月23日\n" +
				"发文字号： 国函[2018]145号 发布日期： 2018年11月28日\n主 题 词： 科技 高新区 示范区\n正文",
			want: textMeta{DocNumber: "国函〔2018〕145号", Issuer: "国务院", Written: "2018-11-23", Published: "2018-11-28",
				Subjects: []string{"科技", "高新区", "示范区"}},
		},
		{
			name:  "order number over two lines",
			title: "专利代理条例",
			body:  "中华人民共和国国务院令\n第706号\n《专利代理条例》已经2018年9月6日国务院第23次常务会议修订通过，现将修订后的《专利代理条例》公布，自2019年3月1日起施行。\n总理　　李克强\n2018年11月6日",
			want:  textMeta{DocNumber: "中华人民共和国国务院令第706号"},
		},
		{
			name:  "number at the end of the header line",
			title: "国务院关于印发《国务院工作规则》的通知",
			body:  "国务院文件　国发〔2018〕5号\n国务院关于印发《国务院工作规则》的通知\n各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
			want:  textMeta{DocNumber: "国发〔2018〕5号", Issuer: "国务院"},
		},
		{
			name:  "a number in a reference is not the document's",
			title: "国务院关于同意乌鲁木齐、昌吉、石河子高新技术产业开发区建设国家自主创新示范区的批复",
			body:  "科技部：\n你部（国科发高 〔2018〕235号）\n收悉。",
			want:  textMeta{Issuer: "国务院"},
		},
		{
			name:  "issuer of a transmitted document is the transmitter",
			title: "国务院办公厅转发民政部关于清理整顿社会团体意见的通知",
			body:  "国办发〔1997〕11号\n民政部《关于清理整顿社会团体的意见》已经国务院同意，现转发给你们，请认真贯彻执行。",
			want:  textMeta{DocNumber: "国办发〔1997〕11号", Issuer: "国务院办公厅"},
		},
		{
			name:  "the issue's example number, source as issuer",
			title: "关于印发济南市优化营商环境若干措施的通知",
			body:  "济政发〔2023〕1号\n来源：济南市人民政府办公厅\n各区县人民政府：",
			want:  textMeta{DocNumber: "济政发〔2023〕1号", Issuer: "济南市人民政府办公厅"},
		},
		{
			name:  "a web site as source is no issuer",
			title: "关于2019年部分节假日安排的通知",
			body:  "来源：中国政府网\n经国务院批准，现将2019年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。",
			want:  textMeta{},
		},
		{
			name:  "a government work report has none of these",
			title: "2019年政府工作报告",
			body:  "政府工作报告\n——2019年1月29日在保定市徐水区第二届人民代表大会第三次会议上\n保定市徐水区人民政府区长 张三\n各位代表：\n现在，我代表区人民政府，向大会报告工作，请予审议。",
			want:  textMeta{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, extractMeta(tt.body, tt.title)); diff != "" {
				t.Errorf("extractMeta mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
