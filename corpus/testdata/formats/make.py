#!/usr/bin/env python3
"""Write a flat ODF text document (.fodt) from a gov.cn HTML fragment.

usage: make.py SRC.html OUT.fodt [--table] [--numbered] [--columns] [--header TEXT] [--font NAME]
       make.py page SRC.html OUT.html

The paragraphs of the fragment are written in order: the title lines
(everything before the document number) become one level-1 heading, the
document number and the signature block are centred or right-aligned
paragraphs, and the rest are body paragraphs. With --table, runs of member
lines ("姓　名　　职务") become a two-column table. With --header, every page
gets TEXT as its header and a centred "— N —" page-number footer. With
--columns, the page has two columns. With --numbered, paragraphs that start "一、", "二、" … become items of a list
numbered 一、二、… by the word processor, their typed labels removed. --font
sets the font (default Noto Serif CJK SC). The page mode wraps the fragment
in a GBK-encoded page laid out like a saved gov.cn article: menus,
breadcrumbs, a metadata table, related links and a site footer around it.
"""
import html
import re
import sys
from xml.sax.saxutils import escape

DOCNUM = re.compile(r"^\S{1,12}〔\d{4}〕\d+号$")
NUMBERED = re.compile(r"^[一二三四五六七八九十]+、")
DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")


def paragraphs(src):
    out = []
    for p in re.findall(r"<p[^>]*>(.*?)</p>", src, re.S):
        t = html.unescape(re.sub(r"<[^>]+>", "", p)).replace("\xa0", " ").strip()
        if t:
            out.append(t)
    return out


def member(t):
    return "　　" in t and len(t) <= 40 and not t.endswith("。")


PAGE = """<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gbk">
<title>{title}_国务院文件_中国政府网</title>
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="2018-11-28 16:00">
<meta name="ContentSource" content="中国政府网">
<meta name="Keywords" content="科技 高新区 示范区 批复">
<meta name="ColumnName" content="国务院文件">
</head>
<body>
<div class="header"><a href="/">首页</a> | <a href="/en/">English</a> | <a href="/zhengce/">政策</a></div>
<div class="nav"><ul><li><a href="/guowuyuan/">国务院</a></li><li><a href="/zongli/">总理</a></li><li><a href="/xinwen/">新闻</a></li><li><a href="/zhengce/">政策</a></li><li><a href="/hudong/">互动</a></li><li><a href="/fuwu/">服务</a></li><li><a href="/shuju/">数据</a></li></ul></div>
<div class="BreadcrumbNav">首页 &gt; 政策 &gt; 国务院文件 &gt; 科技、教育 &gt; 科技</div>
<table class="bd1" border="1">
<tr><td><b>索 引 号：</b></td><td>000014349/2018-00190</td><td><b>主题分类：</b></td><td>科技、教育\科技</td></tr>
<tr><td><b>发文机关：</b></td><td>国务院</td><td><b>成文日期：</b></td><td>2018年11月23日</td></tr>
<tr><td><b>标　　题：</b></td><td colspan="3">{title}</td></tr>
<tr><td><b>发文字号：</b></td><td>国函〔2018〕145号</td><td><b>发布日期：</b></td><td>2018年11月28日</td></tr>
<tr><td><b>主 题 词：</b></td><td colspan="3">科技 高新区 示范区 批复</td></tr>
</table>
<div class="article">
<h1>{title}</h1>
<div class="pages-date">2018-11-28 16:00　来源：中国政府网 <span class="font">【字体：<a>大</a> <a>中</a> <a>小</a>】</span> <a>打印</a></div>
<div class="pages_content" id="UCAP-CONTENT">
<table>{body}</table>
</div>
<div class="editor">责任编辑：卢晓</div>
</div>
<div class="related"><h3>相关稿件</h3><ul>
<li><a href="/zhengce/content/2018-11/28/content_5344146.htm">国务院办公厅关于调整国家教材委员会组成人员的通知</a></li>
<li><a href="/zhengce/content/2018-11/27/content_5343832.htm">国务院关于同意建立国务院职业教育工作部际联席会议制度的批复</a></li>
</ul></div>
<div class="footer"><p>主办单位：国务院办公厅　运行维护单位：中国政府网运行中心</p><p>版权所有：中国政府网　中文域名：中国政府网.政务</p><p>网站标识码bm01000001　京ICP备05070218号　京公网安备11010202000001号</p></div>
<script>var _hmt = _hmt || [];</script>
</body>
</html>
"""


def page(src, out):
    """Wrap the fragment in a page laid out like a saved gov.cn article."""
    frag = open(src, encoding="utf-8").read()
    title = "".join(paragraphs(frag)[:3])
    doc = PAGE.format(title=escape(title), body=frag)
    open(out, "wb").write(doc.encode("gbk"))


def main():
    if sys.argv[1] == "page":
        page(sys.argv[2], sys.argv[3])
        return
    src, out = sys.argv[1], sys.argv[2]
    table = "--table" in sys.argv
    numbered = "--numbered" in sys.argv
    columns = ""
    if "--columns" in sys.argv:
        columns = '<style:columns fo:column-count="2" fo:column-gap="1cm"/>'

    header = ""
    if "--header" in sys.argv:
        header = sys.argv[sys.argv.index("--header") + 1]
    font = "Noto Serif CJK SC"
    if "--font" in sys.argv:
        font = sys.argv[sys.argv.index("--font") + 1]
    ps = paragraphs(open(src, encoding="utf-8").read())
    i = 0
    title = []
    while i < len(ps) and not DOCNUM.match(ps[i]):
        title.append(ps[i])
        i += 1
    body = []
    body.append('<text:h text:style-name="Title" text:outline-level="1">%s</text:h>' % escape("".join(title)))
    rows = []

    def flush():
        if not rows:
            return
        body.append('<table:table table:name="T%d"><table:table-column table:number-columns-repeated="2"/>' % len(body))
        for a, b in rows:
            body.append("<table:table-row>")
            for c in (a, b):
                body.append('<table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell>' % escape(c))
            body.append("</table:table-row>")
        body.append("</table:table>")
        rows.clear()

    lists = 0
    for t in ps[i:]:
        m = NUMBERED.match(t)
        if numbered and m:
            flush()
            cont = ' text:continue-numbering="true"' if lists else ""
            body.append('<text:list text:style-name="CN"%s><text:list-item><text:p text:style-name="Body">%s</text:p></text:list-item></text:list>' % (cont, escape(t[m.end():])))
            lists += 1
            continue
        if table and member(t):
            a, b = t.split("　　", 1)
            rows.append((a, b.strip("　")))
            continue
        flush()
        style = "Body"
        if DOCNUM.match(t) or t == "附件":
            style = "Center"
        elif DATE.match(t) or (len(t) <= 12 and t.endswith(("国务院", "办公厅"))):
            style = "Right"
        body.append('<text:p text:style-name="%s">%s</text:p>' % (style, escape(t)))
    flush()

    master = '<style:master-page style:name="Standard" style:page-layout-name="PL"/>'
    if header:
        master = (
            '<style:master-page style:name="Standard" style:page-layout-name="PL">'
            '<style:header><text:p text:style-name="Center">%s</text:p></style:header>'
            '<style:footer><text:p text:style-name="Center">— <text:page-number text:select-page="current">1</text:page-number> —</text:p></style:footer>'
            "</style:master-page>" % escape(header)
        )
    doc = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls>
 <style:font-face style:name="Noto Serif CJK SC" svg:font-family="'Noto Serif CJK SC'" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"/>
</office:font-face-decls>
<office:styles>
 <style:default-style style:family="paragraph">
  <style:text-properties style:font-name="Noto Serif CJK SC" style:font-name-asian="Noto Serif CJK SC" fo:font-size="12pt" style:font-size-asian="12pt" fo:language="zh" fo:country="CN" style:language-asian="zh" style:country-asian="CN"/>
 </style:default-style>
 <style:style style:name="Body" style:family="paragraph">
  <style:paragraph-properties fo:text-indent="24pt" fo:margin-bottom="4pt" fo:text-align="justify"/>
 </style:style>
 <style:style style:name="Center" style:family="paragraph">
  <style:paragraph-properties fo:text-align="center" fo:margin-bottom="4pt"/>
 </style:style>
 <style:style style:name="Right" style:family="paragraph">
  <style:paragraph-properties fo:text-align="end"/>
 </style:style>
 <text:list-style style:name="CN">
  <text:list-level-style-number text:level="1" style:num-suffix="、" style:num-format="一, 二, 三, ..."/>
 </text:list-style>
 <style:style style:name="Title" style:family="paragraph" style:default-outline-level="1">
  <style:paragraph-properties fo:text-align="center" fo:margin-bottom="12pt"/>
  <style:text-properties fo:font-size="18pt" style:font-size-asian="18pt" fo:font-weight="bold" style:font-weight-asian="bold"/>
 </style:style>
</office:styles>
<office:automatic-styles>
 <style:page-layout style:name="PL">
  <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2.5cm" fo:margin-right="2.5cm">{columns}</style:page-layout-properties>
  <style:header-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-bottom="0.4cm"/></style:header-style>
  <style:footer-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-top="0.4cm"/></style:footer-style>
 </style:page-layout>
</office:automatic-styles>
<office:master-styles>{master}</office:master-styles>
<office:body><office:text>
{chr(10).join(body)}
</office:text></office:body>
</office:document>
"""
    open(out, "w", encoding="utf-8").write(doc.replace("Noto Serif CJK SC", font))


if __name__ == "__main__":
    main()
