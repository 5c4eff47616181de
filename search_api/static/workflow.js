// Staff (/staff) and department (/department) pages of the unanswered-question workflow (article 31).
// The page is a shell; every read and change goes through /api/questions with the key in X-API-Key.
(function () {
  "use strict";
  var root = document.querySelector(".wf");
  var ROLE = root.getAttribute("data-role");
  var KEY_STORAGE = "policykb." + ROLE + "Key";
  var STATUS_ZH = { "new": "待处理", "sent": "已转办", "answered": "已答复待审核", "returned": "已退回",
                    "published": "已发布", "closed": "已关闭" };
  var CHANNEL_ZH = { "website": "网站", "hotline": "热线", "service_centre": "政务服务中心", "api": "接口" };
  var statusLine = document.getElementById("wf-status");
  var keyPanel = document.getElementById("key-panel");
  var keyInput = document.getElementById("api-key");
  var filters = document.getElementById("wf-filters");
  var tbody = document.querySelector("#wf-table tbody");
  var detail = document.getElementById("wf-detail");
  var current = null;

  var hash = new URLSearchParams(location.hash.slice(1));
  if (hash.get("key")) {
    sessionStorage.setItem(KEY_STORAGE, hash.get("key"));
    history.replaceState(null, "", location.pathname + location.search);
  }
  function apiKey() { return sessionStorage.getItem(KEY_STORAGE) || ""; }
  function showKeyPanel(show) { keyPanel.hidden = !show; if (show) keyInput.focus(); }
  document.getElementById("save-key").addEventListener("click", function () {
    sessionStorage.setItem(KEY_STORAGE, keyInput.value.trim());
    keyInput.value = "";
    showKeyPanel(false);
    load(false);
  });

  function say(text, isError) { statusLine.textContent = text; statusLine.classList.toggle("error", !!isError); }
  function errorText(body, status) {
    if (body && body.message_zh) return body.message_zh + (body.message ? "（" + body.message + "）" : "");
    return "请求失败（HTTP " + status + "）";
  }
  function api(method, path, body) {
    var opts = { method: method, headers: { "Accept": "application/json", "X-API-Key": apiKey() } };
    if (body !== undefined) { opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body); }
    return fetch(path, opts).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (b) {
        if (r.status === 401) showKeyPanel(true);
        if (r.status >= 300) { var e = new Error(errorText(b, r.status)); e.status = r.status; throw e; }
        return b;
      });
    });
  }
  function text(el, value) { el.textContent = value == null ? "" : String(value); return el; }
  function cell(tr, value, cls) { var td = document.createElement("td"); text(td, value); if (cls) td.className = cls; tr.appendChild(td); return td; }

  function query() {
    var params = new URLSearchParams();
    new FormData(filters).forEach(function (v, k) { if (String(v).trim() !== "") params.append(k, String(v).trim()); });
    return params;
  }

  // quiet: after an action, keep the action's message in the status line instead of "loading".
  function load(quiet) {
    if (!apiKey()) { showKeyPanel(true); say("请先输入密钥", true); return; }
    var params = query();
    params.set("limit", "200");
    if (!quiet) say("正在加载…");
    api("GET", "/api/questions?" + params.toString())
      .then(function (data) { render(data); if (!quiet) say(""); })
      .catch(function (e) { say(e.message, true); });
  }

  function render(data) {
    tbody.textContent = "";
    data.items.forEach(function (q) {
      var tr = document.createElement("tr");
      tr.setAttribute("data-id", q.id);
      if (ROLE === "staff") {
        var td = document.createElement("td");
        var box = document.createElement("input");
        box.type = "checkbox"; box.className = "pick"; box.value = q.id; box.setAttribute("data-version", q.version);
        box.setAttribute("aria-label", "选择 " + q.id);
        box.addEventListener("click", function (e) { e.stopPropagation(); });
        td.appendChild(box); tr.appendChild(td);
      }
      cell(tr, q.id);
      cell(tr, q.question);
      cell(tr, STATUS_ZH[q.status] || q.status, "st-" + q.status);
      if (ROLE === "staff") cell(tr, q.department || (q.suggested_department ? "（建议）" + q.suggested_department : ""));
      cell(tr, q.due_date || "");
      cell(tr, q.overdue ? "超期 " + q.days_overdue + " 个工作日" : "", q.overdue ? "overdue" : "");
      cell(tr, q.ask_count);
      if (ROLE === "staff") cell(tr, q.channels.map(function (c) { return CHANNEL_ZH[c] || c; }).join("、"));
      tr.addEventListener("click", function () { open(q.id); });
      tbody.appendChild(tr);
    });
    text(document.getElementById("wf-total"), "共 " + data.total + " 条");
    if (ROLE === "staff") renderCounts(data);
  }

  function renderCounts(data) {
    var box = document.getElementById("wf-counts");
    var list = document.getElementById("wf-departments");
    box.textContent = ""; list.textContent = "";
    var total = document.createElement("span");
    total.className = "wf-count" + (data.overdue_total ? " overdue" : "");
    text(total, "超期合计 " + data.overdue_total);
    box.appendChild(total);
    data.counts.forEach(function (c) {
      var span = document.createElement("span");
      span.className = "wf-count" + (c.overdue ? " overdue" : "");
      text(span, (c.department || "未分配") + "：在办 " + c.open + "，超期 " + c.overdue);
      box.appendChild(span);
      if (c.department) { var o = document.createElement("option"); o.value = c.department; list.appendChild(o); }
    });
  }

  function open(id) {
    api("GET", "/api/questions/" + id).then(showDetail).catch(function (e) { say(e.message, true); });
  }

  function showDetail(q) {
    current = q;
    detail.hidden = false;
    text(document.getElementById("d-title"), "#" + q.id + " " + q.question);
    text(document.getElementById("d-meta"), [STATUS_ZH[q.status], q.department ? "承办：" + q.department : "",
      q.due_date ? "期限：" + q.due_date : "", q.overdue ? "超期 " + q.days_overdue + " 个工作日" : "",
      "咨询 " + q.ask_count + " 次", "版本 " + q.version].filter(Boolean).join(" · "));
    var warn = document.getElementById("d-warning");
    warn.hidden = !q.calendar_warning; text(warn, q.calendar_warning || "");
    var hist = document.getElementById("d-history");
    hist.textContent = "";
    q.history.forEach(function (e) {
      var li = document.createElement("li");
      text(li, new Date(e.at).toLocaleString("zh-CN") + " · " + e.actor + " · " + e.action + " " + JSON.stringify(e.detail));
      hist.appendChild(li);
    });
    if (ROLE === "staff") staffDetail(q); else departmentDetail(q);
  }

  function staffDetail(q) {
    var box = document.getElementById("d-answer-box");
    box.hidden = !q.answer;
    text(document.getElementById("d-answer"), q.answer || "");
    text(document.getElementById("d-basis"), [q.answer_policy_key, q.answer_clause_label].filter(Boolean).join(" "));
    document.getElementById("d-department").value = q.department || q.suggested_department || "";
    text(document.getElementById("d-suggestion"), q.suggested_department || "（暂无建议）");
    var ev = document.getElementById("d-evidence");
    ev.textContent = "";
    if (q.status === "new" || q.status === "returned") {
      api("GET", "/api/questions/" + q.id + "/route").then(function (r) {
        if (!current || current.id !== q.id) return;
        text(document.getElementById("d-suggestion"), r.department ? r.department + "（" + Math.round(r.score * 100) + "%）" : "（暂无建议）");
        if (r.department && !document.getElementById("d-department").value) document.getElementById("d-department").value = r.department;
        r.evidence.forEach(function (p) {
          var li = document.createElement("li");
          text(li, p.title + (p.issuing_bodies.length ? "（" + p.issuing_bodies.join("、") + "）" : ""));
          ev.appendChild(li);
        });
      }).catch(function () { /* a suggestion is optional */ });
    }
  }

  function departmentDetail(q) {
    var review = document.getElementById("d-review");
    review.hidden = !(q.status === "returned" && q.review_comment);
    text(review, q.review_comment ? "退回意见：" + q.review_comment : "");
    document.getElementById("answer-form").hidden = !(q.status === "sent" || q.status === "returned");
    document.getElementById("a-text").value = q.answer || "";
  }

  function act(path, body, done) {
    if (!current) return;
    body.version = current.version;
    api("POST", "/api/questions/" + current.id + "/" + path, body)
      .then(function (q) { say(done); showDetail(q); load(true); })
      .catch(function (e) { say(e.message, true); if (e.status === 409) open(current.id); });
  }

  function download(fmt) {
    fetch("/api/questions/export." + fmt + "?" + query().toString(), { headers: { "X-API-Key": apiKey() } })
      .then(function (r) {
        if (!r.ok) return r.json().then(function (b) { throw new Error(errorText(b, r.status)); });
        return r.blob();
      })
      .then(function (blob) {
        var a = document.createElement("a");
        a.href = URL.createObjectURL(blob);
        a.download = "unanswered." + fmt;
        document.body.appendChild(a); a.click(); a.remove();
        say("已导出");
      })
      .catch(function (e) { say(e.message, true); });
  }

  filters.addEventListener("submit", function (e) { e.preventDefault(); load(false); });
  document.getElementById("export-xlsx").addEventListener("click", function () { download("xlsx"); });

  if (ROLE === "staff") {
    document.getElementById("export-csv").addEventListener("click", function () { download("csv"); });
    document.getElementById("select-all").addEventListener("change", function (e) {
      document.querySelectorAll(".pick").forEach(function (b) { b.checked = e.target.checked; });
    });
    document.getElementById("bulk-send").addEventListener("click", function () {
      var items = Array.prototype.map.call(document.querySelectorAll(".pick:checked"), function (b) {
        return { id: Number(b.value), version: Number(b.getAttribute("data-version")) };
      });
      var dept = document.getElementById("bulk-department").value.trim();
      if (!items.length || !dept) { say("请选择问题并填写承办部门", true); return; }
      api("POST", "/api/questions/send", { items: items, department: dept }).then(function (r) {
        say("已转办 " + r.sent.length + " 条" + (r.failed.length ? "，失败 " + r.failed.length + " 条：" +
          r.failed.map(function (f) { return "#" + f.id + " " + f.message_zh; }).join("；") : ""), r.failed.length > 0);
        load(true);
      }).catch(function (e) { say(e.message, true); });
    });
    document.getElementById("load-gaps").addEventListener("click", function () {
      api("GET", "/api/reports/search-gaps").then(function (weeks) {
        var list = document.getElementById("wf-gaps");
        list.textContent = "";
        weeks.forEach(function (w) {
          w.top.forEach(function (m) {
            var li = document.createElement("li");
            text(li, w.week_start + " 周 · " + (m.kind === "qa" ? "无可靠答案" : "无结果") + " · " + m.count + " 次 · " + m.query + " ");
            var b = document.createElement("button");
            b.type = "button"; b.className = "promote"; text(b, "转入待答复");
            b.addEventListener("click", function () {
              api("POST", "/api/questions/promote", { query: m.query }).then(function (r) {
                say(r.outcome === "answered" ? "知识库已有答案" : (r.outcome === "merged" ? "已并入相同问题 #" : "已转入待答复 #") + (r.question ? r.question.id : ""));
                load(true);
              }).catch(function (e) { say(e.message, true); });
            });
            li.appendChild(b);
            list.appendChild(li);
          });
        });
        if (!list.children.length) say("近 8 周没有检索缺口");
      }).catch(function (e) { say(e.message, true); });
    });
    document.getElementById("d-send").addEventListener("click", function () {
      act("send", { department: document.getElementById("d-department").value.trim() || null }, "已转办");
    });
    document.getElementById("d-accept").addEventListener("click", function () { act("review", { accept: true }, "已发布为问答"); });
    document.getElementById("d-return").addEventListener("click", function () {
      act("review", { accept: false, comment: document.getElementById("d-comment").value.trim() }, "已退回");
    });
    document.getElementById("d-close").addEventListener("click", function () {
      act("close", { reason: document.getElementById("d-reason").value.trim() }, "已关闭");
    });
  } else {
    document.getElementById("answer-form").addEventListener("submit", function (e) {
      e.preventDefault();
      act("answer", {
        answer: document.getElementById("a-text").value.trim(),
        policy_key: document.getElementById("a-policy").value.trim() || null,
        clause_label: document.getElementById("a-clause").value.trim() || null
      }, "答复已提交，等待审核");
    });
  }
  load(false);
})();
