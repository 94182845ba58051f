// Document page at /documents/{id}?q=…: the full text with the query's
// words marked and the entities underlined (hover shows their kind and
// canonical name), metadata, citation, related documents and passage links
// (#p12-3f2a9c1b when the API gives paragraph hashes, #p12 otherwise).
"use strict";

(() => {
  const { el, getJSON, docPath, docAPIPath, number, levelLabels, kindLabels } = PS;
  const $ = (id) => document.getElementById(id);
  const underlined = new Set(["place", "org", "person", "amount", "term"]);

  function docID() {
    const rest = location.pathname.replace(/^\/documents\//, "");
    return rest.split("/").map(decodeURIComponent).join("/");
  }

  // queryWords returns the literal words of a query to mark in the text:
  // no operators, field names, exclusions or quotes.
  function queryWords(q) {
    const out = [];
    for (let w of q.match(/"[^"]*"|\S+/g) || []) {
      if (w.startsWith("-") || w === "OR" || w === "AND" || w === "NOT") continue;
      w = w.replace(/^"|"$/g, "");
      const colon = w.indexOf(":");
      if (colon >= 0) {
        if (!/^(title|body)$/.test(w.slice(0, colon))) continue;
        w = w.slice(colon + 1);
      }
      for (const part of w.split(/\s+/)) if (part) out.push(part);
    }
    return out;
  }

  // markRanges returns, per character (code point) of chars, whether a
  // query word covers it.
  function markRanges(chars, words) {
    const marked = new Uint8Array(chars.length);
    if (words.length === 0) return marked;
    // Search on a string of the same code points; map UTF-16 indexes back.
    const text = chars.join("");
    const unitToChar = new Int32Array(text.length + 1);
    let u = 0;
    chars.forEach((c, i) => { for (let k = 0; k < c.length; k++) unitToChar[u++] = i; });
    unitToChar[u] = chars.length;
    for (const w of words) {
      const wl = w.toLowerCase();
      const lower = text.toLowerCase();
      let at = lower.indexOf(wl);
      while (at >= 0) {
        const s = unitToChar[at], e = unitToChar[at + wl.length];
        for (let i = s; i < e; i++) marked[i] = 1;
        at = lower.indexOf(wl, at + wl.length);
      }
    }
    return marked;
  }

  function entityTitle(e) {
    let t = (kindLabels[e.kind] || e.kind) + "：" + e.value;
    if (e.role) t += "（" + e.role + "）";
    if (e.kind === "amount" && e.number) t += " = " + number(e.number) + (e.unit || "");
    return t;
  }

  // renderText appends chars[s:e] to into, splitting it at entity and mark
  // boundaries: an entity becomes <span class="ent" title=…>, a query word
  // <mark>.
  function renderText(into, chars, s, e, entAt, ents, marked) {
    let i = s;
    while (i < e) {
      const ei = entAt[i];
      let j = i + 1;
      while (j < e && entAt[j] === ei) j++;
      const target = ei >= 0 ? el("span", { class: "ent ent-" + ents[ei].kind, title: entityTitle(ents[ei]), "data-kind": ents[ei].kind, "data-value": ents[ei].value }) : into;
      let k = i;
      while (k < j) {
        let m = k + 1;
        while (m < j && marked[m] === marked[k]) m++;
        const text = chars.slice(k, m).join("");
        target.append(marked[k] ? el("mark", {}, text) : text);
        k = m;
      }
      if (target !== into) into.append(target);
      i = j;
    }
  }

  // paragraphsOf returns the API's paragraphs, or lines of the body
  // numbered from 1 when the API gives none.
  function paragraphsOf(d, chars) {
    if (Array.isArray(d.paragraphs) && d.paragraphs.length > 0) {
      return d.paragraphs.map((p) => ({ n: p.n, id: "p" + p.n + "-" + p.hash, start: p.start, end: p.end }));
    }
    const out = [];
    let start = 0, n = 0;
    for (let i = 0; i <= chars.length; i++) {
      if (i === chars.length || chars[i] === "\n") {
        const line = chars.slice(start, i).join("");
        if (line.trim() !== "") {
          n++;
          out.push({ n, id: "p" + n, start, end: i });
        }
        start = i + 1;
      }
    }
    return out;
  }

  function renderBody(d, q) {
    const chars = Array.from(d.body || "");
    const ents = (d.entities || []).filter((e) => underlined.has(e.kind) && e.end > e.start && e.end <= chars.length);
    ents.sort((a, b) => a.start - b.start || b.end - a.end);
    const entAt = new Int32Array(chars.length).fill(-1);
    ents.forEach((e, idx) => {
      // Nested or overlapping mentions: the first, longest one wins.
      for (let i = e.start; i < e.end; i++) if (entAt[i] !== -1) return;
      for (let i = e.start; i < e.end; i++) entAt[i] = idx;
    });
    const marked = markRanges(chars, queryWords(q));
    const body = $("doc-body");
    body.replaceChildren();
    for (const p of paragraphsOf(d, chars)) {
      const para = el("p", { id: p.id, class: "para" });
      const link = el("a", { class: "plink", href: "#" + p.id, title: "第 " + p.n + " 段的链接", "aria-label": "第 " + p.n + " 段的链接" }, "¶");
      link.addEventListener("click", () => {
        const url = location.origin + location.pathname + "#" + p.id;
        if (navigator.clipboard) navigator.clipboard.writeText(url).catch(() => {}); // copying is a convenience
      });
      para.append(link);
      renderText(para, chars, Math.max(0, p.start), Math.min(chars.length, p.end), entAt, ents, marked);
      body.append(para);
    }
    $("legend").hidden = ents.length === 0 && !marked.includes(1);
  }

  function renderMeta(d) {
    const chain = [d.province, d.city, d.county].filter((x, i, a) => x && a.indexOf(x) === i).join(" / ");
    const rows = [
      ["地区", d.region + (chain && chain !== d.region ? "（" + chain + "）" : "")],
      ["级别", levelLabels[d.level] || d.level],
      ["日期", d.date],
      ["类型", d.type],
      ["文号", d.doc_number],
      ["发文机关", d.issuer],
      ["字数", d.chars ? number(d.chars) : ""],
    ];
    const meta = $("doc-meta");
    meta.replaceChildren();
    for (const [k, v] of rows) {
      if (v) meta.append(el("dt", { text: k }), el("dd", { text: v }));
    }
    if (/^https?:\/\//i.test(d.source_url || "")) {
      meta.append(el("dt", { text: "来源" }),
        el("dd", {}, el("a", { href: d.source_url, rel: "noopener noreferrer", target: "_blank", class: "source", text: d.source_url })));
    }
    if (d.citation) {
      $("citation-text").textContent = d.citation;
      $("citation").hidden = false;
      $("copy-citation").onclick = () => {
        if (navigator.clipboard) navigator.clipboard.writeText(d.citation).then(() => { $("copy-citation").textContent = "已复制"; }, () => {});
      };
    }
    const topics = (d.entities || []).filter((e) => e.kind === "topic");
    if (topics.length > 0) {
      const ul = $("topics").querySelector("ul");
      ul.replaceChildren(...topics.map((t) => el("li", {}, el("a", { href: "/?topic=" + encodeURIComponent(t.value), text: t.value }))));
      $("topics").hidden = false;
      $("side").hidden = false;
    }
  }

  // related shows other documents like this one, when the API offers them;
  // without it the section stays hidden.
  async function related(id, q) {
    let res;
    try {
      res = await getJSON(docAPIPath(id) + "/related?size=8");
    } catch (_) {
      return; // no related documents: the section stays hidden
    }
    if (!res || !Array.isArray(res.hits) || res.hits.length === 0) return;
    const ol = $("related").querySelector("ol");
    ol.replaceChildren();
    for (const h of res.hits) {
      ol.append(el("li", {}, el("a", { href: docPath(h.id, q), text: h.title || h.id }),
        el("div", { class: "meta" }, [h.region, h.date].filter(Boolean).join(" · "))));
    }
    $("related").hidden = false;
    $("side").hidden = false;
  }

  // goToPassage scrolls to the paragraph of a passage link. A link made
  // before the document was re-indexed may name a paragraph by a number
  // and hash that no longer match: the API says where that text is now.
  async function goToPassage(id, ref) {
    let target = document.getElementById(ref);
    const m = /^p(\d+)(?:-([0-9a-f]+))?$/.exec(ref);
    if (!target && m && m[2]) {
      let notice = "";
      try {
        const p = await getJSON(docAPIPath(id) + "/passages/" + encodeURIComponent(ref));
        target = document.getElementById(p.ref);
        if (p.status === "moved") notice = "文件更新后，这一段现在是第 " + p.n + " 段。";
        else if (p.status === "changed") notice = "文件更新后，链接所指的段落已修改；这是现在的第 " + p.n + " 段。";
      } catch (_) {
        // No passage API or an unknown reference: fall back to the number.
        target = document.getElementById("p" + m[1]) || document.querySelector('[id^="p' + m[1] + '-"]');
        if (target) notice = "链接所指的段落可能已修改；这是现在的第 " + m[1] + " 段。";
      }
      if (notice) $("status").textContent = notice;
    }
    if (!target) return;
    target.classList.add("linked");
    target.scrollIntoView();
  }

  async function load() {
    const q = new URLSearchParams(location.search).get("q") || "";
    const id = docID();
    $("q").value = q;
    $("back").href = q ? "/?q=" + encodeURIComponent(q) : "/";
    if (document.referrer && new URL(document.referrer).origin === location.origin && new URL(document.referrer).pathname === "/") {
      $("back").href = document.referrer;
    }
    $("status").textContent = "正在加载……";
    let d;
    try {
      d = await getJSON(docAPIPath(id));
    } catch (e) {
      if (e.code === "index_building") {
        $("status").textContent = "索引正在建立，请稍候……";
        setTimeout(load, 2000);
        return;
      }
      $("status").textContent = e.code === "not_found" ? "未找到该文件。" : "出错了：" + e.message;
      $("status").classList.add("error");
      return;
    }
    $("status").textContent = "";
    document.title = d.title + " - 政策文件检索";
    $("doc-title").textContent = d.title || d.id;
    renderMeta(d);
    renderBody(d, q);
    $("doc").hidden = false;
    if (location.hash) goToPassage(id, decodeURIComponent(location.hash.slice(1)));
    related(id, q);
  }

  document.addEventListener("DOMContentLoaded", load);
})();
