/* policysearch widget: <script src="https://HOST/widget.js" data-region="济南市"
   data-placeholder="搜索政策文件" data-key="KEY" data-size="5" data-target="#box"></script>
   puts a search box with results on any page, in a Shadow DOM so that the page's
   CSS and the widget's do not mix. data-endpoint defaults to the script's origin;
   data-key is sent as "Authorization: Bearer"; no other dependencies. */
(function () {
  "use strict";
  var css =
    ":host{all:initial;display:block;font-family:-apple-system,BlinkMacSystemFont,'PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Micro Hei',sans-serif;" +
    "font-size:15px;line-height:1.7;color:#1f2328;text-align:left}*{box-sizing:border-box}" +
    ".w{border:1px solid #d1d9e0;border-radius:8px;padding:12px;background:#fff}" +
    "form{display:flex;gap:6px}input{flex:1;min-width:0;font:inherit;padding:6px 10px;border:1px solid #d1d9e0;border-radius:6px;color:inherit;background:#fff}" +
    "button{font:inherit;padding:6px 14px;border:0;border-radius:6px;background:#b3261e;color:#fff;cursor:pointer}" +
    ".s{color:#59636e;font-size:13px;margin:8px 0 0}.s.e{color:#b3261e}ol{list-style:none;margin:0;padding:0}" +
    "li{padding:8px 0;border-bottom:1px solid #eef1f4}li:last-child{border-bottom:0}" +
    "a{color:#0b57d0;text-decoration:none;font-weight:600}a:hover{text-decoration:underline}" +
    ".m{color:#59636e;font-size:12px}.p{margin:2px 0 0;font-size:14px;overflow-wrap:anywhere;display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:3;overflow:hidden}" +
    "mark{background:#fff0a8;color:inherit}.more{display:block;margin-top:6px;font-size:13px;font-weight:400}";

  function h(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  // frag appends a server highlight fragment, keeping only text and <mark>.
  function frag(into, html) {
    var t = document.createElement("template");
    t.innerHTML = html;
    (function walk(node) {
      for (var i = 0; i < node.childNodes.length; i++) {
        var n = node.childNodes[i];
        if (n.nodeType === 3) into.appendChild(document.createTextNode(n.textContent));
        else if (n.nodeType === 1) {
          if (n.tagName === "MARK") into.appendChild(h("mark", "", n.textContent));
          else walk(n);
        }
      }
    })(t.content);
  }

  function mount(host, o) {
    var base = (o.endpoint || "").replace(/\/+$/, "");
    var size = Math.min(Math.max(parseInt(o.size, 10) || 5, 1), 20);
    var root = host.attachShadow({ mode: "open" });
    var box = h("div", "w"), form = h("form"), input = h("input"), btn = h("button", "", "搜索");
    var status = h("p", "s"), list = h("ol");
    form.setAttribute("role", "search");
    input.type = "search";
    input.placeholder = o.placeholder || "搜索政策文件";
    input.setAttribute("aria-label", input.placeholder);
    btn.type = "submit";
    form.appendChild(input);
    form.appendChild(btn);
    box.appendChild(form);
    box.appendChild(status);
    box.appendChild(list);
    // A constructed style sheet passes a host page's Content-Security-Policy
    // that forbids inline <style>; older browsers get the element.
    if (root.adoptedStyleSheets && window.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = [sheet];
    } else {
      root.appendChild(h("style", "", css));
    }
    root.appendChild(box);
    status.hidden = true;
    var regions = (o.region || "").split(/[,，]/).filter(Boolean);
    var gen = 0, more = null;

    function params(q) {
      var p = new URLSearchParams();
      p.set("q", q);
      for (var i = 0; i < regions.length; i++) p.append("region", regions[i]);
      return p;
    }

    function say(text, err) {
      status.hidden = !text;
      status.textContent = text;
      status.className = err ? "s e" : "s";
    }

    function search(q) {
      var my = ++gen;
      list.textContent = "";
      if (more) box.removeChild(more);
      more = null;
      if (!q) return say("");
      say("正在搜索……");
      var p = params(q);
      p.set("size", String(size));
      var headers = { Accept: "application/json" };
      if (o.key) headers.Authorization = "Bearer " + o.key;
      fetch(base + "/api/v1/search?" + p, { headers: headers, credentials: "omit" })
        .then(function (r) {
          return r.json().then(function (b) {
            if (!r.ok) throw new Error((b && b.error && b.error.message) || "HTTP " + r.status);
            return b;
          }, function () { throw new Error("HTTP " + r.status); });
        })
        .then(function (res) {
          if (my !== gen) return;
          say(res.total ? "找到 " + res.total + " 篇文件" : "没有找到相关文件");
          for (var i = 0; i < res.hits.length; i++) {
            var hit = res.hits[i], hl = hit.highlights || {}, li = h("li");
            var a = h("a");
            a.href = base + "/documents/" + hit.id.split("/").map(encodeURIComponent).join("/") + "?q=" + encodeURIComponent(q);
            a.target = "_blank";
            a.rel = "noopener";
            if (hl.title && hl.title.length) frag(a, hl.title[0]);
            else a.textContent = hit.title || hit.id;
            li.appendChild(a);
            li.appendChild(h("div", "m", [hit.region, hit.date, hit.type].filter(Boolean).join(" · ")));
            if (hl.body && hl.body.length) {
              var sn = h("p", "p");
              frag(sn, hl.body[0]);
              li.appendChild(sn);
            }
            list.appendChild(li);
          }
          if (res.total > res.hits.length && !o.key) {
            more = h("a", "more", "查看全部 " + res.total + " 篇 →");
            more.href = base + "/?" + params(q);
            more.target = "_blank";
            more.rel = "noopener";
            box.appendChild(more);
          }
        })
        .catch(function (e) {
          if (my === gen) say("出错了：" + e.message, true);
        });
    }

    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      search(input.value.trim());
    });
    if (o.q) {
      input.value = o.q;
      search(o.q);
    }
    return root;
  }

  window.PolicySearchWidget = { mount: mount };

  var me = document.currentScript;
  if (!me || me.hasAttribute("data-manual")) return;
  var d = me.dataset;
  var o = {
    endpoint: d.endpoint || new URL(me.src, location.href).origin,
    region: d.region, placeholder: d.placeholder, key: d.key, size: d.size, q: d.q,
  };
  function start() {
    var host = d.target && document.querySelector(d.target);
    if (!host) {
      host = document.createElement("div");
      me.parentNode.insertBefore(host, me.nextSibling);
    }
    mount(host, o);
  }
  if (d.target && document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
