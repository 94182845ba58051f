package corpus_test

import (
	"context"
	"errors"
	"fmt"
	"testing/fstest"

	"policysearch/corpus"
)

func ExampleLoad() {
	fsys := fstest.MapFS{
		"济南/2023_槐荫区政府工作报告.txt": {Data: []byte(
			"济南市槐荫区人民政府工作报告\n——2023年1月5日在济南市槐荫区第十九届人民代表大会第二次会议上\n各位代表：……")},
		"national/2018_通知.html": {Data: []byte(
			"<p>国务院办公厅关于2019年部分节假日安排的通知</p><p>国办发明电〔2018〕15号</p><p>各省、自治区、直辖市人民政府：……</p>")},
		"scan.png": {Data: []byte("\x89PNG\r\n\x1a\n")},
	}
	for doc, err := range corpus.Load(context.Background(), fsys, corpus.Options{}) {
		var skip *corpus.SkipError
		if errors.As(err, &skip) {
			fmt.Printf("skipped %s: %s\n", skip.Path, skip.Reason)
			continue
		}
		if err != nil {
			fmt.Println("load failed:", err)
			return
		}
		fmt.Printf("%s | %s | %s %s | %s\n", doc.Title, doc.Region, doc.Level, doc.Date, doc.Type)
	}
	// Output:
	// 国务院办公厅关于2019年部分节假日安排的通知 | 全国 | national 2018 | 通知
	// skipped scan.png: unsupported format .png
	// 济南市槐荫区人民政府工作报告 | 济南市槐荫区 | county 2023-01-05 | 政府工作报告
}

func ExampleParse() {
	docs, err := corpus.Parse("uploads/report.md", []byte(
		"---\ntitle: 上海市城市更新条例\ndate: 2021-08-25\n---\n\n# 上海市城市更新条例\n\n**第一条** 为了践行“人民城市人民建，人民城市为人民”重要理念……"), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	d := docs[0]
	fmt.Println(d.Title, d.Province, d.Level, d.Date, d.Type)
	fmt.Println(d.Body)
	// Output:
	// 上海市城市更新条例 上海市 province 2021-08-25 地方性法规
	// 上海市城市更新条例
	//
	// 第一条 为了践行“人民城市人民建，人民城市为人民”重要理念……
}

func ExampleGazetteer_FindIn() {
	g, err := corpus.DefaultGazetteer()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range g.FindIn("北京市朝阳区和长春市朝阳区都有医养结合项目，景宁也有") {
		chain := ""
		for _, p := range g.Parents(m.Place) {
			chain += p.Name + "/"
		}
		fmt.Printf("%d-%d %s → %s%s (%s, %s)\n", m.Start, m.End, m.Text, chain, m.Place.Name, m.Place.Level, m.Kind)
	}
	// Output:
	// 0-9 北京市 → 北京市 (province, full)
	// 9-18 朝阳区 → 北京市/朝阳区 (county, full)
	// 21-30 长春市 → 吉林省/长春市 (city, full)
	// 30-39 朝阳区 → 吉林省/长春市/朝阳区 (county, full)
	// 66-72 景宁 → 浙江省/丽水市/景宁畲族自治县 (county, short)
}

func ExampleSample() {
	docs, skips := 0, 0
	levels := map[corpus.Level]int{}
	for doc, err := range corpus.Load(context.Background(), corpus.Sample(), corpus.Options{}) {
		if err != nil {
			skips++
			continue
		}
		docs++
		levels[doc.Level]++
	}
	fmt.Println(docs, "documents,", skips, "skipped")
	fmt.Println(levels[corpus.LevelNational], levels[corpus.LevelProvince], levels[corpus.LevelCity], levels[corpus.LevelCounty])
	// Output:
	// 61 documents, 0 skipped
	// 15 17 8 21
}
