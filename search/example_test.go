package search_test

import (
	"context"
	"fmt"
	"testing/fstest"

	"policysearch/corpus"
	"policysearch/indexer"
	"policysearch/search"
)

func ExampleParse() {
	n, err := search.Parse(`"城市更新" -棚户区 year:2019..2023`)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range n.(*search.And).Parts {
		switch p := p.(type) {
		case *search.Not:
			fmt.Printf("not %+v\n", *p.X.(*search.Term))
		case *search.Term:
			fmt.Printf("term %+v\n", *p)
		}
	}
	_, err = search.Parse(`医养 "城市`)
	fmt.Println(err)
	// Output:
	// term {Field: Text:城市更新 Quoted:true Offset:0}
	// not {Field: Text:棚户区 Quoted:false Offset:16}
	// term {Field:year Text:2019..2023 Quoted:false Offset:26}
	// query syntax: unclosed quote at byte 7
}

func ExampleService_Search() {
	ctx := context.Background()
	docs := fstest.MapFS{
		"huaiyin.txt":  {Data: []byte("槐荫区全力打造“齐鲁门户、医养之都”\n\n2023年1月2日，槐荫区推进医养健康产业链式集群发展。")},
		"shanghai.txt": {Data: []byte("上海市城市更新条例\n\n2021年8月25日通过。推进城市更新，改善人居环境。")},
	}
	idx, err := indexer.Create("")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer idx.Close()
	if _, err := indexer.Build(ctx, idx, corpus.Load(ctx, docs, corpus.Options{}), indexer.Options{}); err != nil {
		fmt.Println(err)
		return
	}
	svc, err := search.New(idx, search.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := svc.Search(ctx, search.Request{Query: "医养", Highlight: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, h := range res.Hits {
		fmt.Println(h.Title, h.Date)
		fmt.Println(h.Highlights["title"][0])
	}
	// Output:
	// 槐荫区全力打造“齐鲁门户、医养之都” 2023-01-02
	// 槐荫区全力打造“齐鲁门户、<mark>医养</mark>之都”
}
