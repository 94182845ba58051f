// Compare page at /compare?q=…&region=…&level=…: the rate of a query
// (occurrences per 10,000 characters) by region as a bar chart, by year as
// a line chart, and a table, from /api/v1/compare and /api/v1/timeline.
// Charts use the vendored ECharts bundle (static/vendor/echarts.min.js).
"use strict";

(() => {
  const { el, getJSON, number } = PS;
  const $ = (id) => document.getElementById(id);
  const maxLines = 6; // regions drawn in the timeline when none are chosen
  let bar = null, line = null, generation = 0;

  function readState() {
    const p = new URLSearchParams(location.search);
    const regions = [];
    for (const v of p.getAll("region")) {
      for (const r of v.split(/[,，、\s]+/)) if (r) regions.push(r);
    }
    const level = p.get("level");
    return { q: (p.get("q") || "").trim(), regions, level: ["province", "city", "county"].includes(level) ? level : "province" };
  }

  function stateURL(st) {
    const p = new URLSearchParams();
    if (st.q) p.set("q", st.q);
    for (const r of st.regions) p.append("region", r);
    if (st.regions.length === 0) p.set("level", st.level);
    return "/compare?" + p;
  }

  function compareParams(st) {
    const p = new URLSearchParams({ q: st.q, by: "region", sort: "rate" });
    if (st.regions.length > 0) for (const r of st.regions) p.append("region", r);
    else p.set("level", st.level);
    return p;
  }

  // esc escapes text for ECharts tooltips, which are HTML.
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => "&#" + c.charCodeAt(0) + ";");

  function chart(id) {
    const node = $(id);
    return echarts.getInstanceByDom(node) || echarts.init(node, null, { renderer: "svg", locale: "ZH" });
  }

  function drawBar(groups) {
    bar = chart("bar");
    bar.setOption({
      grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" },
        formatter: (ps) => {
          const g = groups[ps[0].dataIndex];
          return esc(g.label) + "<br>每万字 " + g.rate.toFixed(2) + " 次<br>" +
            number(g.matching_docs) + " / " + number(g.docs) + " 篇提到，共 " + number(g.occurrences) + " 次";
        },
      },
      xAxis: { type: "category", data: groups.map((g) => g.label), axisLabel: { interval: 0, rotate: groups.length > 8 ? 40 : 0 } },
      yAxis: { type: "value", name: "每万字次数", nameTextStyle: { align: "left" } },
      series: [{ type: "bar", name: "提及率", data: groups.map((g) => Number(g.rate.toFixed(3))), itemStyle: { color: "#b3261e" }, barMaxWidth: 36 }],
    }, true);
  }

  function drawLine(tl) {
    line = chart("line");
    line.setOption({
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      legend: { type: "scroll", top: 0 },
      tooltip: { trigger: "axis", valueFormatter: (v) => (v == null ? "—" : Number(v).toFixed(2) + " 次/万字") },
      xAxis: { type: "category", data: tl.years.map(String), name: "年份" },
      yAxis: { type: "value", name: "每万字次数", nameTextStyle: { align: "left" } },
      series: tl.series.map((s) => {
        const byYear = new Map(s.points.map((pt) => [pt.year, pt]));
        return {
          type: "line", name: s.label || s.region, connectNulls: false, symbolSize: 6,
          data: tl.years.map((y) => (byYear.has(y) && byYear.get(y).docs > 0 ? Number(byYear.get(y).rate.toFixed(3)) : null)),
        };
      }),
    }, true);
  }

  function drawTable(groups) {
    const tbody = $("table").querySelector("tbody");
    tbody.replaceChildren();
    for (const g of groups) {
      const search = "/?q=" + encodeURIComponent($("cq").value) + "&region=" + encodeURIComponent(g.label);
      tbody.append(el("tr", {},
        el("th", { scope: "row", title: g.region || g.label }, el("a", { href: search, text: g.label })),
        el("td", { text: number(g.docs) }),
        el("td", { text: number(g.matching_docs) }),
        el("td", { text: number(g.occurrences) }),
        el("td", { text: number(g.chars) }),
        el("td", { text: g.rate.toFixed(2) }),
        el("td", { text: g.first_year ? String(g.first_year) : "—" }),
        el("td", { text: g.latest_year ? String(g.latest_year) : "—" })));
    }
  }

  async function render() {
    const st = readState();
    $("cq").value = st.q;
    $("cregions").value = st.regions.join("，");
    $("clevel").value = st.level;
    $("clevel").disabled = st.regions.length > 0;
    if (!st.q) {
      $("out").hidden = true;
      $("status").textContent = "输入关键词，选择几个地区或一个级别，比较各地文件提到它的频率。";
      return;
    }
    const gen = ++generation;
    $("status").classList.remove("error");
    $("status").textContent = "正在统计……";
    try {
      const p = compareParams(st);
      const res = await getJSON("/api/v1/compare?" + p);
      if (gen !== generation) return;
      const groups = res.groups || [];
      if (groups.length === 0) {
        $("out").hidden = true;
        $("status").textContent = "没有可比较的地区：请换一个级别或地区。";
        return;
      }
      $("out").hidden = false;
      const csv = new URLSearchParams(p);
      csv.set("format", "csv");
      $("csv").href = "/api/v1/compare?" + csv;
      drawBar(groups);
      drawTable(groups);
      cooccur(st, gen);
      const matching = groups.reduce((n, g) => n + g.matching_docs, 0);
      $("status").textContent = groups.length + " 个地区，共 " + number(matching) + " 篇文件提到「" + st.q + "」" +
        (res.took_ms != null ? "，用时 " + Math.round(res.took_ms) + " 毫秒" : "");

      const lineRegions = st.regions.length > 0 ? st.regions : groups.filter((g) => g.matching_docs > 0).slice(0, maxLines).map((g) => g.label);
      $("line-note").textContent = st.regions.length > 0 ? "" : "（提及率最高的 " + lineRegions.length + " 个地区）";
      if (lineRegions.length === 0) {
        line && line.clear();
        return;
      }
      const tp = new URLSearchParams({ q: st.q });
      for (const r of lineRegions) tp.append("region", r);
      const tl = await getJSON("/api/v1/timeline?" + tp);
      if (gen !== generation) return;
      drawLine(tl);
    } catch (e) {
      if (gen !== generation) return;
      if (e.code === "index_building") {
        $("status").textContent = "索引正在建立，请稍候……";
        setTimeout(() => { if (gen === generation) render(); }, 2000);
        return;
      }
      $("status").textContent = (e.status === 404 && e.code === "not_found" ? "对比接口不可用：" : "出错了：") + e.message;
      $("status").classList.add("error");
    }
  }

  // cooccur lists the words found in the same sentences as the query,
  // within the chosen regions; each links to a search for both.
  async function cooccur(st, gen) {
    const p = new URLSearchParams({ q: st.q, size: "20" });
    for (const r of st.regions) p.append("region", r);
    let res;
    try {
      res = await getJSON("/api/v1/cooccur?" + p);
    } catch (_) {
      $("cooccur").hidden = true; // the words are extra: the page works without them
      return;
    }
    if (gen !== generation) return;
    const ul = $("cooccur").querySelector("ul");
    ul.replaceChildren();
    for (const t of res.terms || []) {
      const q = st.q + " " + (/\s/.test(t.term) ? '"' + t.term + '"' : t.term);
      ul.append(el("li", {}, el("a", { href: "/?q=" + encodeURIComponent(q), title: number(t.docs) + " 篇文件，" + number(t.count) + " 次", text: t.term })));
    }
    $("cooccur").hidden = ul.children.length === 0;
  }

  async function regionNames() {
    try {
      const res = await getJSON("/api/v1/search?size=0&facets=province,city&facet_size=100");
      const dl = $("region-names");
      for (const name of ["province", "city"]) {
        for (const fv of res.facets[name] || []) dl.append(el("option", { value: fv.value }));
      }
    } catch (_) {
      // names are a convenience for typing; the form works without them
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("compare-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const regions = $("cregions").value.split(/[,，、\s]+/).filter(Boolean);
      history.pushState(null, "", stateURL({ q: $("cq").value.trim(), regions, level: $("clevel").value }));
      render();
    });
    $("cregions").addEventListener("input", () => { $("clevel").disabled = $("cregions").value.trim() !== ""; });
    window.addEventListener("popstate", render);
    window.addEventListener("resize", () => { bar && bar.resize(); line && line.resize(); });
    regionNames();
    render();
  });
})();
