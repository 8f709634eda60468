// 站内搜索：读取构建时生成的索引（search/），只下载查询用到的分片和结果所在的文档块。
// 分词、分片和排序与 src/search.rs 逐行对应，两边必须一致（tests/search_browser.rs 检查）。
(function () {
  "use strict";

  // ------------------------------------------------------------ 分词

  // 全角 ASCII 转半角，全角空格转空格，ASCII 字母转小写。一个字符进，一个字符出。
  function normCode(u) {
    if (u >= 0xFF01 && u <= 0xFF5E) u -= 0xFEE0;
    else if (u === 0x3000) u = 0x20;
    if (u >= 0x41 && u <= 0x5A) u += 32;
    return u;
  }

  function isHan(u) {
    return u === 0x3007 || (u >= 0x3400 && u <= 0x4DBF) || (u >= 0x4E00 && u <= 0x9FFF) ||
      (u >= 0xF900 && u <= 0xFAFF) || (u >= 0x20000 && u <= 0x3134F);
  }

  function isWord(u) {
    return (u >= 0x30 && u <= 0x39) || (u >= 0x61 && u <= 0x7A);
  }

  // 按码位读字符串（处理代理对）。
  function codePoints(s) {
    var out = [];
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c >= 0xD800 && c <= 0xDBFF && i + 1 < s.length) {
        var d = s.charCodeAt(i + 1);
        if (d >= 0xDC00 && d <= 0xDFFF) {
          out.push((c - 0xD800) * 0x400 + (d - 0xDC00) + 0x10000);
          i++;
          continue;
        }
      }
      out.push(c);
    }
    return out;
  }

  function fromCode(u) {
    if (u < 0x10000) return String.fromCharCode(u);
    u -= 0x10000;
    return String.fromCharCode(0xD800 + (u >> 10), 0xDC00 + (u & 0x3FF));
  }

  function normalize(s) {
    var cps = codePoints(s), out = "";
    for (var i = 0; i < cps.length; i++) out += fromCode(normCode(cps[i]));
    return out;
  }

  // 汉字串（字符数组）与 ASCII 词；其他字符都是分隔。
  function runs(text) {
    var cps = codePoints(text), out = [], cur = null;
    for (var i = 0; i < cps.length; i++) {
      var u = normCode(cps[i]), ch = fromCode(u), han = isHan(u), word = isWord(u);
      if (cur && cur.han && han) { cur.chars.push(ch); continue; }
      if (cur && !cur.han && word) { cur.word += ch; continue; }
      if (cur) out.push(cur);
      cur = han ? { han: true, chars: [ch] } : word ? { han: false, word: ch } : null;
    }
    if (cur) out.push(cur);
    return out;
  }

  // 分词：汉字出单字和相邻两字，ASCII 词和数字出整词。
  function tokens(text) {
    var rs = runs(text), out = [];
    for (var i = 0; i < rs.length; i++) {
      var r = rs[i];
      if (r.han) {
        for (var j = 0; j < r.chars.length; j++) {
          out.push(r.chars[j]);
          if (j + 1 < r.chars.length) out.push(r.chars[j] + r.chars[j + 1]);
        }
      } else {
        out.push(r.word);
      }
    }
    return out;
  }

  var MAX_QUERY_CHARS = 64, MAX_TERMS = 24;

  function truncate(q, n) {
    return codePoints(q).slice(0, n).map(fromCode).join("");
  }

  // 查询词：汉字串用相邻两字（只有一个字时用单字），ASCII 用整词；去重，全部命中才算。
  function queryTerms(q) {
    var rs = runs(truncate(q, MAX_QUERY_CHARS)), out = [];
    function push(t) { if (out.indexOf(t) < 0 && out.length < MAX_TERMS) out.push(t); }
    for (var i = 0; i < rs.length; i++) {
      var r = rs[i];
      if (r.han && r.chars.length === 1) push(r.chars[0]);
      else if (r.han) for (var j = 0; j + 1 < r.chars.length; j++) push(r.chars[j] + r.chars[j + 1]);
      else push(r.word);
    }
    return out;
  }

  var imul = Math.imul || function (a, b) {
    var ah = (a >>> 16) & 0xFFFF, al = a & 0xFFFF, bh = (b >>> 16) & 0xFFFF, bl = b & 0xFFFF;
    return (al * bl + (((ah * bl + al * bh) << 16) >>> 0)) | 0;
  };

  // FNV-1a（32 位），按 UTF-16 码元。
  function hash(term) {
    var h = 0x811c9dc5;
    for (var i = 0; i < term.length; i++) {
      h ^= term.charCodeAt(i);
      h = imul(h, 16777619) >>> 0;
    }
    return h >>> 0;
  }

  function shardOf(term, shards) { return hash(term) % shards; }

  // ------------------------------------------------------------ 倒排表

  var FINAL = "0123456789abcdefghijklmnopqrstuv", MORE = "wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

  function decodePostings(s) {
    var nums = [], n = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charAt(i), d = MORE.indexOf(c);
      if (d >= 0) { n = n * 32 + d; continue; }
      d = FINAL.indexOf(c);
      if (d >= 0) { nums.push(n * 32 + d); n = 0; }
    }
    var out = [], doc = 0;
    for (var k = 0; k + 1 < nums.length; k += 2) {
      doc += nums[k];
      out.push([doc, nums[k + 1]]);
    }
    return out;
  }

  var IN_TITLE = 1, IN_HEADING = 2, IN_FIELD = 4;
  var BONUS_TITLE = 1000, BONUS_HEADING = 200, BONUS_FIELD = 400;

  // 排序：每个词都命中的页面，按各词得分之和，再加“全部在标题/小标题/记录字段中”的加分；同分按文档顺序。
  // shardData: 分片号 → {词: 倒排表}
  function rank(terms, shardData, shards) {
    if (!terms.length) return [];
    var acc = {};
    for (var i = 0; i < terms.length; i++) {
      var data = shardData[shardOf(terms[i], shards)] || {};
      var enc = Object.prototype.hasOwnProperty.call(data, terms[i]) ? data[terms[i]] : "";
      var ps = decodePostings(enc);
      for (var k = 0; k < ps.length; k++) {
        var doc = ps[k][0], v = ps[k][1];
        var e = acc[doc];
        if (!e) { if (i !== 0) continue; e = acc[doc] = { score: 0, flags: 7, n: 0 }; }
        if (e.n === i) {
          e.score += Math.floor(v / 8);
          e.flags &= v % 8;
          e.n += 1;
        }
      }
    }
    var hits = [];
    for (var key in acc) {
      if (!Object.prototype.hasOwnProperty.call(acc, key)) continue;
      var a = acc[key];
      if (a.n !== terms.length) continue;
      var bonus = (a.flags & IN_TITLE ? BONUS_TITLE : 0) + (a.flags & IN_HEADING ? BONUS_HEADING : 0) +
        (a.flags & IN_FIELD ? BONUS_FIELD : 0);
      hits.push({ doc: +key, score: a.score + bonus });
    }
    hits.sort(function (x, y) { return y.score - x.score || x.doc - y.doc; });
    return hits;
  }

  // ------------------------------------------------------------ 高亮

  // 查询的各部分：汉字串或 ASCII 词，及其查询词。
  function parts(q) {
    var rs = runs(truncate(q, MAX_QUERY_CHARS)), out = [];
    for (var i = 0; i < rs.length; i++) {
      var whole = rs[i].han ? rs[i].chars.join("") : rs[i].word;
      out.push({ whole: whole, terms: queryTerms(whole) });
    }
    return out;
  }

  // 某段文字中要高亮的词：整串出现就只标整串，否则标其中出现的查询词；长的优先。
  function needles(text, ps) {
    var t = normalize(text), seen = {}, out = [];
    for (var i = 0; i < ps.length; i++) {
      var list = t.indexOf(ps[i].whole) >= 0 ? [ps[i].whole] : ps[i].terms;
      for (var j = 0; j < list.length; j++) {
        if (!seen[list[j]]) { seen[list[j]] = 1; out.push(list[j]); }
      }
    }
    out.sort(function (a, b) { return b.length - a.length; });
    return out;
  }

  function wordAt(t, i) { return i >= 0 && i < t.length && isWord(t.charCodeAt(i)); }

  // 文本中命中的位置 [开始, 结束)（UTF-16 下标，规范化不改变长度）。ASCII 词只在词的边界处命中
  // （搜 4 不标出 2024 中的 4）。
  function matches(text, ns) {
    var t = normalize(text), out = [], i = 0;
    while (i < t.length) {
      var hit = 0;
      for (var k = 0; k < ns.length; k++) {
        var n = ns[k];
        if (!n.length || t.substr(i, n.length) !== n) continue;
        if (isWord(n.charCodeAt(0)) && (wordAt(t, i - 1) || wordAt(t, i + n.length))) continue;
        hit = n.length;
        break;
      }
      if (hit) { out.push([i, i + hit]); i += hit; } else i++;
    }
    return out;
  }

  // 在 el 中写入 text，命中处包在 <mark> 中（只用 textContent，不拼接 HTML）。
  function highlight(el, text, ms) {
    var pos = 0;
    for (var i = 0; i < ms.length; i++) {
      if (ms[i][0] > pos) el.appendChild(document.createTextNode(text.slice(pos, ms[i][0])));
      var m = document.createElement("mark");
      m.textContent = text.slice(ms[i][0], ms[i][1]);
      el.appendChild(m);
      pos = ms[i][1];
    }
    if (pos < text.length) el.appendChild(document.createTextNode(text.slice(pos)));
  }

  // 摘要：从第一个命中处前后截取一段。
  var SNIPPET = 90, BEFORE = 20;
  function snippet(text, ps) {
    var ms = matches(text, needles(text, ps));
    var start = 0;
    if (ms.length && ms[0][0] > BEFORE) start = ms[0][0] - BEFORE;
    // 不从代理对中间截断
    var c = text.charCodeAt(start);
    if (start > 0 && c >= 0xDC00 && c <= 0xDFFF) start--;
    var end = Math.min(text.length, start + SNIPPET);
    c = text.charCodeAt(end - 1);
    if (end < text.length && c >= 0xD800 && c <= 0xDBFF) end++;
    var part = text.slice(start, end);
    var inPart = [];
    for (var i = 0; i < ms.length; i++) {
      if (ms[i][0] >= start && ms[i][1] <= end) inPart.push([ms[i][0] - start, ms[i][1] - start]);
    }
    return { text: (start > 0 ? "…" : "") + part + (end < text.length && part.slice(-1) !== "…" ? "…" : ""), ms: inPart, offset: start > 0 ? 1 : 0 };
  }

  // ------------------------------------------------------------ 页面

  var api = {
    tokens: tokens, queryTerms: queryTerms, hash: hash, shardOf: shardOf, normalize: normalize,
    decodePostings: decodePostings, rank: rank
  };
  if (typeof window !== "undefined") window.GongshiSearch = api;

  function get(url, done) {
    var x = new XMLHttpRequest();
    x.open("GET", url, true);
    x.onreadystatechange = function () {
      if (x.readyState !== 4) return;
      if (x.status >= 200 && x.status < 300) {
        var v = null;
        try { v = JSON.parse(x.responseText); } catch (e) { done(e, null); return; }
        done(null, v);
      } else {
        done(new Error("HTTP " + x.status + " " + url), null);
      }
    };
    x.send();
  }

  // 并行下载多个文件，全部完成后回调 done(err, {key: 数据})。
  function getAll(urls, done) {
    var keys = Object.keys(urls), left = keys.length, out = {}, failed = false;
    if (!left) { done(null, out); return; }
    keys.forEach(function (k) {
      get(urls[k], function (err, v) {
        if (failed) return;
        if (err) { failed = true; done(err, null); return; }
        out[k] = v;
        if (--left === 0) done(null, out);
      });
    });
  }

  var PAGE = 10;

  function start() {
    var root = document.getElementById("search");
    if (!root) return;
    var base = root.getAttribute("data-base") || "/";
    var siteMap = root.getAttribute("data-site-map") || base + "sitemap/";
    var input = document.getElementById("search-q");
    var results = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    var params = new URLSearchParams(window.location.search);
    var q = (params.get("q") || "").trim();
    input.value = q;

    function say(text, withMap) {
      status.textContent = "";
      status.appendChild(document.createTextNode(text));
      if (withMap) {
        status.appendChild(document.createTextNode("可以查看"));
        var a = document.createElement("a");
        a.href = siteMap;
        a.textContent = "网站地图";
        status.appendChild(a);
        status.appendChild(document.createTextNode("，按栏目查找。"));
      }
    }

    var terms = queryTerms(q);
    if (!terms.length) {
      say(q ? "“" + q + "”中没有可以搜索的文字。" : "请输入要搜索的词语。", true);
      return;
    }
    document.title = "“" + q + "”的搜索结果 - " + document.title.replace(/^站内搜索 - /, "");
    say("正在搜索……", false);

    function failed() { say("搜索暂时无法使用。", true); }

    get(base + "search/meta.json", function (err, meta) {
      if (err || !meta || meta.format !== 1) { failed(); return; }
      var v = "?v=" + encodeURIComponent(meta.version);
      var urls = {};
      terms.forEach(function (t) {
        var s = shardOf(t, meta.shards);
        urls[s] = base + "search/idx/" + s + ".json" + v;
      });
      getAll(urls, function (err2, shardData) {
        if (err2) { failed(); return; }
        var hits = rank(terms, shardData, meta.shards);
        if (!hits.length) {
          say("没有找到与“" + q + "”有关的内容。", true);
          return;
        }
        var ps = parts(q), chunks = {}, shown = 0;
        var list = document.createElement("ol");
        list.className = "search-list";
        var more = document.createElement("button");
        more.type = "button";
        more.className = "search-more";
        more.textContent = "显示更多结果";

        function show(first) {
          var page = hits.slice(shown, shown + PAGE), need = {};
          page.forEach(function (h) {
            var c = Math.floor(h.doc / meta.chunk);
            if (!chunks[c]) need[c] = base + "search/docs/" + c + ".json" + v;
          });
          getAll(need, function (err3, got) {
            if (err3) { failed(); return; }
            for (var c in got) if (Object.prototype.hasOwnProperty.call(got, c)) chunks[c] = got[c];
            var firstLink = null;
            page.forEach(function (h) {
              var d = chunks[Math.floor(h.doc / meta.chunk)][h.doc % meta.chunk];
              var li = document.createElement("li");
              var head = document.createElement("h2");
              head.className = "search-title";
              var a = document.createElement("a");
              a.href = base + d[0];
              highlight(a, d[1], matches(d[1], needles(d[1], ps)));
              head.appendChild(a);
              li.appendChild(head);
              var info = document.createElement("p");
              info.className = "search-meta";
              var line = d[2] + (d[3] ? "　" + d[3] : "");
              highlight(info, line, matches(line, needles(line, ps)));
              li.appendChild(info);
              if (d[4]) {
                var sn = snippet(d[4], ps), p = document.createElement("p");
                p.className = "search-snippet";
                var ms = sn.ms.map(function (m) { return [m[0] + sn.offset, m[1] + sn.offset]; });
                highlight(p, sn.text, ms);
                li.appendChild(p);
              }
              list.appendChild(li);
              if (!firstLink) firstLink = a;
            });
            shown += page.length;
            if (first) {
              say("找到 " + hits.length + " 条结果" + (hits.length > PAGE ? "，先显示前 " + shown + " 条。" : "。"), false);
              results.appendChild(list);
              if (shown < hits.length) results.appendChild(more);
            } else {
              if (firstLink) firstLink.focus();
              say("已显示 " + shown + " 条，共 " + hits.length + " 条结果。", false);
            }
            if (shown >= hits.length && more.parentNode) more.parentNode.removeChild(more);
          });
        }
        more.addEventListener("click", function () { show(false); });
        show(true);
      });
    });
  }

  if (typeof document !== "undefined") {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }
})();
