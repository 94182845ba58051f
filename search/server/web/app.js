// Search page for policysearch. The page state lives in the URL:
// ?q=…&region=…&year=…&from=… for a search, plus doc=ID for a document.
// Only highlight fragments from the server are inserted as HTML (the server
// escapes the text around <mark>); everything else is set as textContent.
"use strict";

(() => {
  const pageSize = 10;
  const maxWindow = 10000; // search.MaxWindow: from+size may not exceed it
  // Facets shown in the sidebar, in order; each is also a filter parameter.
  const facetNames = ["region", "year", "topic", "place", "org", "person", "amount"];
  const facetLabels = { region: "地区", year: "年份", topic: "主题", place: "提及地区", org: "机构", person: "人物", amount: "金额" };
  const levelLabels = { national: "国家级", province: "省级", city: "市级", county: "区县级" };

  const $ = (id) => document.getElementById(id);
  let generation = 0; // drops responses to requests that a newer one replaced

  // el creates an element with text children only.
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else e.setAttribute(k, v);
    }
    for (const c of children) {
      if (c != null && c !== "") e.append(c); // strings become text nodes
    }
    return e;
  }

  // fragment wraps one server highlight fragment.
  function fragment(tag, html) {
    const e = document.createElement(tag);
    e.innerHTML = html;
    return e;
  }

  function readState() {
    const p = new URLSearchParams(location.search);
    const from = parseInt(p.get("from") || "0", 10);
    const st = {
      q: p.get("q") || "",
      from: Number.isFinite(from) && from > 0 ? from : 0,
      doc: p.get("doc") || "",
    };
    for (const name of facetNames) st[name] = p.getAll(name);
    return st;
  }

  function stateURL(st) {
    const p = new URLSearchParams();
    if (st.q) p.set("q", st.q);
    appendFilters(p, st);
    if (st.from > 0) p.set("from", String(st.from));
    if (st.doc) p.set("doc", st.doc);
    const s = p.toString();
    return s ? "/?" + s : "/";
  }

  // appendFilters adds the facet filters of st to URL parameters p.
  function appendFilters(p, st) {
    for (const name of facetNames) {
      for (const v of st[name] || []) p.append(name, v);
    }
  }

  function navigate(st) {
    history.pushState(null, "", stateURL(st));
    render();
    window.scrollTo(0, 0);
  }

  function setStatus(text, isError) {
    const s = $("status");
    s.textContent = text;
    s.classList.toggle("error", !!isError);
  }

  // getJSON fetches an API path; it throws an Error carrying the server's
  // error code and message.
  async function getJSON(path) {
    const res = await fetch(path, { headers: { Accept: "application/json" } });
    let body = null;
    try {
      body = await res.json();
    } catch (_) {
      // not JSON: reported below by status
    }
    if (!res.ok) {
      const e = new Error((body && body.error && body.error.message) || "HTTP " + res.status);
      e.code = body && body.error ? body.error.code : "";
      throw e;
    }
    return body;
  }

  async function render() {
    const st = readState();
    $("q").value = st.q;
    const gen = ++generation;
    $("search-view").hidden = !!st.doc;
    $("doc-view").hidden = !st.doc;
    try {
      if (st.doc) await showDocument(st, gen);
      else await showSearch(st, gen);
    } catch (e) {
      if (gen !== generation) return;
      if (e.code === "index_building") {
        setStatus("索引正在建立，请稍候……", false);
        setTimeout(() => { if (gen === generation) render(); }, 2000);
        return;
      }
      setStatus(e.code === "not_found" && st.doc ? "未找到该文件。" : "出错了：" + e.message, true);
    }
  }

  async function showSearch(st, gen) {
    const p = new URLSearchParams();
    p.set("q", st.q);
    appendFilters(p, st);
    p.set("from", String(st.from));
    p.set("size", String(pageSize));
    p.set("facets", facetNames.join(","));
    if (!st.q) p.set("sort", "date");
    setStatus("正在搜索……");
    const res = await getJSON("/api/v1/search?" + p);
    if (gen !== generation) return;
    document.title = st.q ? st.q + " - 政策文件检索" : "政策文件检索";

    const ms = res.took_ms < 10 ? res.took_ms.toFixed(1) : Math.round(res.took_ms);
    if (res.total === 0) {
      setStatus(st.q ? "没有找到与「" + st.q + "」相关的文件。" : "没有文件。");
    } else if (res.relaxed) {
      setStatus("没有同时包含所有词的文件。以下 " + res.total.toLocaleString("zh-CN") + " 篇包含其中大部分词。");
    } else if (st.q) {
      setStatus("找到 " + res.total.toLocaleString("zh-CN") + " 篇文件，用时 " + ms + " 毫秒");
    } else {
      setStatus("共 " + res.total.toLocaleString("zh-CN") + " 篇文件，按日期排列。输入关键词开始搜索。");
    }
    renderChips(st);
    renderFacets(st, res.facets || {});
    renderHits(st, res.hits);
    renderPager(st, res.total);
  }

  function renderChips(st) {
    const box = $("chips");
    box.replaceChildren();
    for (const name of facetNames) {
      for (const v of st[name]) {
        const b = el("button", { type: "button", title: "取消此筛选" }, facetLabels[name] + "：" + v + " ×");
        b.addEventListener("click", () => {
          navigate({ ...st, [name]: st[name].filter((x) => x !== v), from: 0 });
        });
        box.append(b);
      }
    }
  }

  function renderFacets(st, facets) {
    const box = $("facets");
    box.replaceChildren();
    for (const name of facetNames) {
      let vals = (facets[name] || []).slice();
      if (name === "year") vals.sort((a, b) => b.value.localeCompare(a.value));
      vals = vals.filter((fv) => fv.count > 0 || st[name].includes(fv.value));
      if (vals.length === 0) continue;
      const ul = el("ul");
      for (const fv of vals) {
        const on = st[name].includes(fv.value);
        // A place facet's value is a gazetteer code; show its name.
        const b = el("button", { type: "button", "aria-pressed": String(on), title: fv.name || fv.value },
          el("span", { text: fv.name || fv.value }), el("span", { class: "count", text: String(fv.count) }));
        b.addEventListener("click", () => {
          const next = on ? st[name].filter((x) => x !== fv.value) : [...st[name], fv.value];
          navigate({ ...st, [name]: next, from: 0 });
        });
        ul.append(el("li", {}, b));
      }
      box.append(el("section", {}, el("h2", { text: facetLabels[name] }), ul));
    }
  }

  function renderHits(st, hits) {
    const list = $("hits");
    list.replaceChildren();
    for (const h of hits) {
      const hl = h.highlights || {};
      const link = el("a", { href: stateURL({ ...st, doc: h.id }), "data-nav": "" });
      if (hl.title && hl.title.length) link.append(fragment("span", hl.title[0]));
      else link.textContent = h.title || h.id;

      const meta = el("div", { class: "meta" });
      for (const part of [h.region, levelLabels[h.level] || h.level, h.date, h.type]) {
        if (part) meta.append(el("span", { text: part }));
      }

      const li = el("li", { class: "hit" }, el("div", { class: "title" }, link), meta);
      if (hl.body && hl.body.length) {
        const p = el("p", { class: "snippet" });
        hl.body.forEach((f, i) => {
          if (i > 0) p.append(el("span", { class: "gap", text: " …… " }));
          p.append(fragment("span", f));
        });
        li.append(p);
      }
      list.append(li);
    }
  }

  function renderPager(st, total) {
    const box = $("pager");
    box.replaceChildren();
    const reachable = Math.min(total, maxWindow);
    if (reachable <= pageSize) return;
    const page = Math.floor(st.from / pageSize) + 1;
    const pages = Math.ceil(reachable / pageSize);
    const prev = el("button", { type: "button" }, "上一页");
    const next = el("button", { type: "button" }, "下一页");
    prev.disabled = page <= 1;
    next.disabled = page >= pages;
    prev.addEventListener("click", () => navigate({ ...st, from: Math.max(0, st.from - pageSize) }));
    next.addEventListener("click", () => navigate({ ...st, from: st.from + pageSize }));
    box.append(prev, el("span", { text: "第 " + page + " / " + pages + " 页" }), next);
  }

  async function showDocument(st, gen) {
    setStatus("正在加载……");
    const path = "/api/v1/documents/" + st.doc.split("/").map(encodeURIComponent).join("/");
    const d = await getJSON(path);
    if (gen !== generation) return;
    setStatus("");
    document.title = d.title + " - 政策文件检索";
    $("back").href = stateURL({ ...st, doc: "" });
    $("doc-title").textContent = d.title || d.id;

    const chain = [d.province, d.city, d.county].filter((x, i, a) => x && a.indexOf(x) === i).join(" / ");
    const rows = [
      ["地区", d.region + (chain && chain !== d.region ? "（" + chain + "）" : "")],
      ["级别", levelLabels[d.level] || d.level],
      ["日期", d.date],
      ["类型", d.type],
      ["文号", d.doc_number],
      ["发文机关", d.issuer],
      ["字数", d.chars ? d.chars.toLocaleString("zh-CN") : ""],
      ["文件", d.path],
    ];
    const meta = $("doc-meta");
    meta.replaceChildren();
    for (const [k, v] of rows) {
      if (v) meta.append(el("dt", { text: k }), el("dd", { text: v }));
    }
    if (/^https?:\/\//i.test(d.source_url || "")) {
      meta.append(el("dt", { text: "来源" }),
        el("dd", {}, el("a", { href: d.source_url, rel: "noopener noreferrer", target: "_blank", text: d.source_url })));
    }
    $("doc-body").textContent = d.body;
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("search-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const st = readState();
      navigate({ ...st, q: $("q").value.trim(), from: 0, doc: "" });
    });
    // Internal links change the URL without reloading the page.
    document.addEventListener("click", (ev) => {
      const a = ev.target.closest("a[data-nav]");
      if (!a || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
      ev.preventDefault();
      history.pushState(null, "", a.getAttribute("href"));
      render();
      window.scrollTo(0, 0);
    });
    window.addEventListener("popstate", render);
    render();
  });
})();
