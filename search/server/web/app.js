// Search page. Its state lives in the URL (?q=…&sort=date&from=20&region=…),
// so back/forward and shared links work; render() draws the page from it.
"use strict";

(() => {
  const { el, fragment, getJSON, docPath, number, levelLabels } = PS;
  const pageSize = 10;
  const maxWindow = 10000; // search.MaxWindow: from+size may not exceed it
  // Filter parameters, in the order their chips are shown.
  const filterNames = ["region", "year", "type", "level", "org", "person", "topic", "place", "term", "amount"];
  const labels = {
    region: "地区", year: "年份", type: "类型", level: "级别", org: "机构", person: "人物",
    topic: "主题", place: "提及地区", term: "术语", amount: "金额",
  };
  // Facets asked of the API; province, city and county make the region tree.
  const facetNames = ["province", "city", "county", "region", "year", "type", "org", "person", "topic", "place", "amount"];
  // Sidebar lists after the region tree, in order.
  const listFacets = ["year", "type", "org", "person", "topic", "place", "amount"];
  const shortList = 8; // values shown before "更多"

  const $ = (id) => document.getElementById(id);
  let generation = 0; // drops responses to requests that a newer one replaced
  const expanded = new Set(); // region tree nodes opened by hand, and facets shown in full

  function readState() {
    const p = new URLSearchParams(location.search);
    const from = parseInt(p.get("from") || "0", 10);
    const st = {
      q: p.get("q") || "",
      sort: p.get("sort") === "date" ? "date" : "",
      from: Number.isFinite(from) && from > 0 ? from : 0,
      dupGroup: p.get("dup_group") || "",
      doc: p.get("doc") || "", // links from before document pages had their own path
    };
    for (const name of filterNames) st[name] = p.getAll(name);
    return st;
  }

  function stateURL(st) {
    const p = new URLSearchParams();
    if (st.q) p.set("q", st.q);
    appendFilters(p, st);
    if (st.sort) p.set("sort", st.sort);
    if (st.dupGroup) p.set("dup_group", st.dupGroup);
    if (st.from > 0) p.set("from", String(st.from));
    const s = p.toString();
    return s ? "/?" + s : "/";
  }

  function appendFilters(p, st) {
    for (const name of filterNames) {
      for (const v of st[name] || []) p.append(name, v);
    }
  }

  function hasFilters(st) {
    return filterNames.some((n) => st[n].length > 0) || !!st.dupGroup;
  }

  function navigate(st) {
    history.pushState(null, "", stateURL(st));
    render();
    window.scrollTo(0, 0);
  }

  function setStatus(text, isError) {
    const s = $("status");
    s.replaceChildren(text);
    s.classList.toggle("error", !!isError);
  }

  function setBusy(on) {
    document.querySelector("main").setAttribute("aria-busy", String(on));
    document.body.classList.toggle("loading", on);
  }

  async function render() {
    const st = readState();
    if (st.doc) {
      location.replace(docPath(st.doc, st.q));
      return;
    }
    $("q").value = st.q;
    closeSuggest();
    const gen = ++generation;
    setBusy(true);
    setStatus("正在搜索……");
    try {
      await showSearch(st, gen);
    } catch (e) {
      if (gen !== generation) return;
      if (e.code === "index_building") {
        setStatus("索引正在建立，请稍候……");
        setTimeout(() => { if (gen === generation) render(); }, 2000);
        return;
      }
      const retry = el("button", { type: "button", class: "retry" }, "重试");
      retry.addEventListener("click", render);
      const msg = e.status >= 400 && e.status < 500 ? "请求有误：" + e.message : "出错了：" + e.message;
      setStatus(el("span", {}, msg, " ", retry), true);
      $("hits").replaceChildren();
      $("pager").replaceChildren();
      $("empty").hidden = true;
    } finally {
      if (gen === generation) setBusy(false);
    }
  }

  async function showSearch(st, gen) {
    const p = new URLSearchParams();
    p.set("q", st.q);
    appendFilters(p, st);
    if (st.dupGroup) p.set("dup_group", st.dupGroup);
    p.set("from", String(st.from));
    p.set("size", String(pageSize));
    p.set("facets", facetNames.join(","));
    const sort = st.sort || (st.q ? "relevance" : "date");
    p.set("sort", sort);
    const res = await getJSON("/api/v1/search?" + p);
    if (gen !== generation) return;
    document.title = st.q ? st.q + " - 政策文件检索" : "政策文件检索";

    const ms = res.took_ms < 10 ? res.took_ms.toFixed(1) : Math.round(res.took_ms);
    if (res.total === 0) {
      setStatus("");
    } else if (res.relaxed) {
      setStatus("没有同时包含所有词的文件。以下 " + number(res.total) + " 篇包含其中大部分词。");
    } else if (st.q) {
      const folded = res.collapsed && res.groups < res.total ? "（相似文件合并后 " + number(res.groups) + " 条）" : "";
      setStatus("找到 " + number(res.total) + " 篇文件" + folded + "，用时 " + ms + " 毫秒");
    } else {
      setStatus("共 " + number(res.total) + " 篇文件。输入关键词开始搜索。");
    }
    renderSort(st, sort, res.total);
    renderFeed(st, res.total);
    renderChips(st);
    renderFacets(st, res.facets || {});
    renderEmpty(st, res.total);
    renderHits(st, res.hits);
    // With near-duplicates folded, pages count hits, not documents.
    renderPager(st, res.collapsed && typeof res.groups === "number" ? res.groups : res.total);
  }

  function renderSort(st, sort, total) {
    const box = $("sort");
    box.hidden = total === 0;
    for (const b of box.querySelectorAll("button")) {
      b.setAttribute("aria-pressed", String(b.dataset.sort === sort));
      b.onclick = () => navigate({ ...st, sort: b.dataset.sort === "date" ? "date" : "", from: 0 });
    }
  }

  // renderFeed links the Atom feed of the same query and filters.
  function renderFeed(st, total) {
    const p = new URLSearchParams();
    p.set("q", st.q);
    appendFilters(p, st);
    $("feed").href = "/api/v1/feed?" + p;
    $("feed").hidden = !st.q || total === 0;
  }

  function without(st, name, v) {
    return { ...st, [name]: st[name].filter((x) => x !== v), from: 0 };
  }

  function clearAll(st) {
    const next = { ...st, from: 0, dupGroup: "" };
    for (const n of filterNames) next[n] = [];
    return next;
  }

  function renderChips(st) {
    const box = $("chips");
    box.replaceChildren();
    for (const name of filterNames) {
      for (const v of st[name]) {
        const b = el("button", { type: "button", class: "chip", title: "去掉此筛选", "data-filter": name },
          labels[name] + "：" + v, el("span", { "aria-hidden": "true", text: " ×" }));
        b.addEventListener("click", () => navigate(without(st, name, v)));
        box.append(b);
      }
    }
    if (st.dupGroup) {
      const b = el("button", { type: "button", class: "chip" }, "一组相似文件", el("span", { "aria-hidden": "true", text: " ×" }));
      b.addEventListener("click", () => navigate({ ...st, dupGroup: "", from: 0 }));
      box.append(b);
    }
    if (box.children.length > 1) {
      const b = el("button", { type: "button", class: "chip clear" }, "清除全部筛选");
      b.addEventListener("click", () => navigate(clearAll(st)));
      box.append(b);
    }
  }

  function renderEmpty(st, total) {
    const box = $("empty");
    box.replaceChildren();
    box.hidden = total !== 0;
    if (total !== 0) return;
    box.append(el("h2", { text: st.q ? "没有找到与「" + st.q + "」相关的文件" : "没有符合条件的文件" }));
    if (hasFilters(st)) {
      box.append(el("p", { text: "当前的筛选条件可能太窄。可以去掉其中一个：" }));
      const ul = el("ul", { class: "suggest-remove" });
      for (const name of filterNames) {
        for (const v of st[name]) {
          const b = el("button", { type: "button" }, "去掉「" + labels[name] + "：" + v + "」");
          b.addEventListener("click", () => navigate(without(st, name, v)));
          ul.append(el("li", {}, b));
        }
      }
      const all = el("button", { type: "button" }, "清除全部筛选");
      all.addEventListener("click", () => navigate(clearAll(st)));
      ul.append(el("li", {}, all));
      box.append(ul);
    } else {
      box.append(el("p", { text: "试试更短或更常见的词，检查错别字，或用 OR 连接近义词（如 医养 OR 康养）。" }));
    }
  }

  // facetButton is one clickable facet value with its count.
  function facetButton(st, name, value, label, count, title) {
    const on = st[name].includes(value);
    const b = el("button", { type: "button", class: "fv", "aria-pressed": String(on), title: title || label, "data-facet": name, "data-value": value },
      el("span", { class: "label", text: label }), el("span", { class: "count", text: number(count) }));
    b.addEventListener("click", () => {
      navigate(on ? without(st, name, value) : { ...st, [name]: [...st[name], value], from: 0 });
    });
    return b;
  }

  // regionTree nests the province, city and county facets by their chains
  // of names; values the gazetteer could not place are listed at the end.
  function regionTree(facets) {
    const nodes = [];
    const byChain = new Map();
    const add = (fv, level) => {
      const n = { value: fv.value, count: fv.count, chain: fv.name || "", level, children: [] };
      if (n.chain) byChain.set(n.chain, n);
      return n;
    };
    const provinces = (facets.province || []).map((fv) => add(fv, "province"));
    const cities = (facets.city || []).map((fv) => add(fv, "city"));
    const counties = (facets.county || []).map((fv) => add(fv, "county"));
    const loose = [];
    const attach = (n, parents) => {
      const parent = n.chain && parents.find((p) => p.chain && n.chain.startsWith(p.chain) && n.chain !== p.chain);
      if (parent) parent.children.push(n);
      else loose.push(n);
    };
    for (const c of cities) attach(c, provinces);
    // A county lies in a city, or directly in a province (北京市朝阳区).
    for (const c of counties) attach(c, [...cities, ...provinces]);
    for (const fv of facets.region || []) {
      if (fv.value === "全国") nodes.push({ value: fv.value, count: fv.count, level: "national", children: [] });
    }
    nodes.push(...provinces);
    return { nodes, loose: loose.filter((n) => n.level !== "province") };
  }

  function renderRegionTree(st, facets) {
    const { nodes, loose } = regionTree(facets);
    if (nodes.length === 0 && loose.length === 0) return null;
    const selected = new Set(st.region);
    const contains = (n) => selected.has(n.value) || n.children.some(contains);
    const list = (items) => {
      const ul = el("ul", { class: "tree" });
      for (const n of items) {
        if (n.count === 0 && !selected.has(n.value)) continue;
        const li = el("li", { class: "node level-" + n.level });
        const row = el("div", { class: "row" });
        if (n.children.length > 0) {
          const open = expanded.has("region:" + n.value) || contains(n);
          const tog = el("button", { type: "button", class: "toggle", "aria-expanded": String(open), "aria-label": (open ? "收起" : "展开") + n.value }, open ? "▾" : "▸");
          tog.addEventListener("click", () => {
            if (open) expanded.delete("region:" + n.value);
            else expanded.add("region:" + n.value);
            renderFacets(st, facets);
          });
          row.append(tog);
          row.append(facetButton(st, "region", n.value, n.value, n.count, n.chain || n.value));
          li.append(row);
          if (open) li.append(list(n.children));
        } else {
          row.append(el("span", { class: "toggle-space" }));
          row.append(facetButton(st, "region", n.value, n.value, n.count, n.chain || n.value));
          li.append(row);
        }
        ul.append(li);
      }
      return ul;
    };
    const sec = el("section", { "data-facet": "region" }, el("h2", { text: labels.region }), list(nodes));
    if (loose.length > 0) sec.append(el("h3", { text: "其他地区" }), list(loose));
    return sec;
  }

  function renderFacets(st, facets) {
    const box = $("facets");
    box.replaceChildren();
    const tree = renderRegionTree(st, facets);
    if (tree) box.append(tree);
    for (const name of listFacets) {
      let vals = (facets[name] || []).slice();
      if (name === "year") vals.sort((a, b) => b.value.localeCompare(a.value));
      vals = vals.filter((fv) => fv.count > 0 || st[name].includes(fv.value));
      if (vals.length === 0) continue;
      const full = expanded.has("facet:" + name);
      const ul = el("ul");
      vals.forEach((fv, i) => {
        if (!full && i >= shortList && !st[name].includes(fv.value)) return;
        // A place value is a gazetteer code; show its name.
        ul.append(el("li", {}, facetButton(st, name, fv.value, fv.name || fv.value, fv.count)));
      });
      const sec = el("section", { "data-facet": name }, el("h2", { text: labels[name] }), ul);
      if (vals.length > shortList) {
        const more = el("button", { type: "button", class: "more" }, full ? "收起" : "更多（" + vals.length + "）");
        more.addEventListener("click", () => {
          if (full) expanded.delete("facet:" + name);
          else expanded.add("facet:" + name);
          renderFacets(st, facets);
        });
        sec.append(more);
      }
      box.append(sec);
    }
  }

  function renderHits(st, hits) {
    const list = $("hits");
    list.replaceChildren();
    for (const h of hits) {
      const hl = h.highlights || {};
      const link = el("a", { href: docPath(h.id, st.q) });
      if (hl.title && hl.title.length) link.append(fragment(hl.title[0]));
      else link.textContent = h.title || h.id;

      const meta = el("div", { class: "meta" });
      for (const part of [h.region, levelLabels[h.level] || h.level, h.date, h.type]) {
        if (part) meta.append(el("span", { text: part }));
      }
      const li = el("li", { class: "hit", "data-id": h.id }, el("h3", { class: "title" }, link), meta);
      if (hl.body && hl.body.length) {
        const p = el("p", { class: "snippet" });
        hl.body.forEach((f, i) => {
          if (i > 0) p.append(el("span", { class: "gap", text: " …… " }));
          p.append(fragment(f));
        });
        li.append(p);
      }
      if (h.copies > 0 && h.dup_group && !st.dupGroup) {
        const regions = (h.copy_regions || []).slice(0, 4).join("、");
        const a = el("a", { href: stateURL({ ...clearAll(st), q: st.q, dupGroup: h.dup_group }), "data-nav": "", class: "copies" },
          "另有 " + h.copies + " 份相似文件" + (regions ? "（" + regions + (h.copy_regions.length > 4 ? "等" : "") + "）" : ""));
        li.append(el("div", { class: "dups" }, a));
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
    const go = (n) => navigate({ ...st, from: (n - 1) * pageSize });
    const button = (label, n, attrs) => {
      const b = el("button", { type: "button", ...attrs }, label);
      if (n < 1 || n > pages) b.disabled = true;
      else if (n === page) b.setAttribute("aria-current", "page");
      else b.addEventListener("click", () => go(n));
      return b;
    };
    box.append(button("上一页", page - 1, { class: "prev" }));
    const shown = new Set([1, pages, page - 2, page - 1, page, page + 1, page + 2]);
    let last = 0;
    for (let n = 1; n <= pages; n++) {
      if (!shown.has(n)) continue;
      if (n > last + 1) box.append(el("span", { class: "ellipsis", text: "…" }));
      box.append(button(String(n), n, { class: "num" }));
      last = n;
    }
    box.append(button("下一页", page + 1, { class: "next" }));
  }

  // Suggestions complete the last word of the query as the user types.
  let suggestTimer = 0;
  let suggestAbort = null;
  let active = -1;

  function closeSuggest() {
    const box = $("suggest");
    box.hidden = true;
    box.replaceChildren();
    $("q").setAttribute("aria-expanded", "false");
    $("q").removeAttribute("aria-activedescendant");
    active = -1;
  }

  // lastWord returns the word being typed: the end of the query after the
  // last space, quote or field name (title:医 → 医); "" after an exclusion.
  function lastWord(text) {
    const m = /(^|[\s"])(-?)([^\s":]*:)?([^\s":]+)$/.exec(text);
    return m && !m[2] ? m[4] : "";
  }

  function pick(word) {
    const input = $("q");
    input.value = input.value.replace(/[^\s":]+$/, word);
    closeSuggest();
    navigate({ ...readState(), q: input.value.trim(), from: 0 });
  }

  async function suggest() {
    const input = $("q");
    const word = lastWord(input.value);
    if (suggestAbort) suggestAbort.abort();
    if (!word) return closeSuggest();
    suggestAbort = new AbortController();
    let res;
    try {
      res = await getJSON("/api/v1/suggest?size=8&q=" + encodeURIComponent(word), { signal: suggestAbort.signal });
    } catch (_) {
      return closeSuggest(); // suggestions are a convenience; searching still works
    }
    if (lastWord(input.value) !== word || document.activeElement !== input) return;
    const box = $("suggest");
    box.replaceChildren();
    active = -1;
    res.suggestions.forEach((s, i) => {
      const li = el("li", { id: "suggest-" + i, role: "option", "aria-selected": "false", "data-text": s.text },
        el("span", { text: s.text }), el("span", { class: "count", text: number(s.docs) + " 篇" }));
      li.addEventListener("mousedown", (ev) => ev.preventDefault()); // keep focus in the input
      li.addEventListener("click", () => pick(s.text));
      box.append(li);
    });
    box.hidden = res.suggestions.length === 0;
    input.setAttribute("aria-expanded", String(!box.hidden));
  }

  function moveActive(delta) {
    const items = $("suggest").children;
    if (items.length === 0) return;
    if (active >= 0) items[active].setAttribute("aria-selected", "false");
    active = (active + delta + items.length) % items.length;
    items[active].setAttribute("aria-selected", "true");
    $("q").setAttribute("aria-activedescendant", items[active].id);
  }

  document.addEventListener("DOMContentLoaded", () => {
    const input = $("q");
    $("search-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const items = $("suggest").children;
      if (!$("suggest").hidden && active >= 0 && items[active]) return pick(items[active].dataset.text);
      closeSuggest();
      navigate({ ...readState(), q: input.value.trim(), from: 0 });
    });
    input.addEventListener("input", () => {
      clearTimeout(suggestTimer);
      suggestTimer = setTimeout(suggest, 120);
    });
    input.addEventListener("keydown", (ev) => {
      if ($("suggest").hidden) return;
      if (ev.key === "ArrowDown") { ev.preventDefault(); moveActive(1); }
      else if (ev.key === "ArrowUp") { ev.preventDefault(); moveActive(-1); }
      else if (ev.key === "Escape") { ev.preventDefault(); closeSuggest(); }
    });
    input.addEventListener("blur", () => setTimeout(closeSuggest, 100));
    // On a phone the facets fold away behind a button.
    $("facet-toggle").addEventListener("click", () => {
      const open = $("facets").classList.toggle("open");
      $("facet-toggle").setAttribute("aria-expanded", String(open));
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
