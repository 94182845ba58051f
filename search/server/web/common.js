// Shared by the pages of policysearch: element building, safe insertion of
// highlight fragments, JSON fetching. Text is always set as textContent;
// only <mark> elements from server highlight fragments become markup.
"use strict";

const PS = (() => {
  const levelLabels = { national: "国家级", province: "省级", city: "市级", county: "区县级" };
  const kindLabels = {
    place: "地名", org: "机构", person: "人物", amount: "金额", term: "术语",
    topic: "主题", word: "词语", docnum: "文号", date: "日期",
  };

  // el creates an element; attrs "class" and "text" are special, the rest
  // are attributes; children are nodes or strings (text nodes).
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else e.setAttribute(k, v);
    }
    for (const c of children) {
      if (c != null && c !== "") e.append(c);
    }
    return e;
  }

  // fragment turns a server highlight fragment (escaped text with <mark>
  // around matches) into nodes, keeping only text and <mark>: whatever else
  // a fragment held would be dropped, not run. A <template> parses without
  // running scripts or loading anything.
  function fragment(html) {
    const t = document.createElement("template");
    t.innerHTML = html;
    const out = document.createDocumentFragment();
    const walk = (node, into) => {
      for (const n of node.childNodes) {
        if (n.nodeType === Node.TEXT_NODE) into.append(n.textContent);
        else if (n.nodeType === Node.ELEMENT_NODE) {
          if (n.tagName === "MARK") into.append(el("mark", {}, n.textContent));
          else walk(n, into);
        }
      }
    };
    walk(t.content, out);
    return out;
  }

  // ApiError carries the server's error code.
  class ApiError extends Error {
    constructor(message, code, status) {
      super(message);
      this.code = code || "";
      this.status = status || 0;
    }
  }

  // getJSON fetches an API path; it throws an ApiError with the server's
  // error code and message. opts.key is sent as a bearer token.
  async function getJSON(path, opts) {
    const headers = { Accept: "application/json" };
    if (opts && opts.key) headers.Authorization = "Bearer " + opts.key;
    let res;
    try {
      res = await fetch(path, { headers, signal: opts && opts.signal });
    } catch (e) {
      if (e.name === "AbortError") throw e;
      throw new ApiError("无法连接服务器", "network", 0);
    }
    let body = null;
    try {
      body = await res.json();
    } catch (_) {
      // not JSON: reported below by status
    }
    if (!res.ok) {
      const err = body && body.error;
      throw new ApiError((err && err.message) || "HTTP " + res.status, err ? err.code : "", res.status);
    }
    return body;
  }

  // docPath returns the page path of a document, each ID segment escaped.
  function docPath(id, q) {
    const p = "/documents/" + id.split("/").map(encodeURIComponent).join("/");
    return q ? p + "?q=" + encodeURIComponent(q) : p;
  }

  // docAPIPath returns the API path of a document.
  function docAPIPath(id) {
    return "/api/v1/documents/" + id.split("/").map(encodeURIComponent).join("/");
  }

  const number = (n) => Number(n || 0).toLocaleString("zh-CN");

  return { el, fragment, getJSON, ApiError, docPath, docAPIPath, number, levelLabels, kindLabels };
})();
