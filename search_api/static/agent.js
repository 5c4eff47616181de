// Hotline agent console: search-as-you-type Q&A lookup, keyboard first.
// Keys: Enter search now · ArrowUp/ArrowDown select · Alt+C copy answer · Alt+U send to unanswered list · Esc clear.
(function () {
  "use strict";
  var KEY_STORAGE = "policykb.agentKey";
  var input = document.getElementById("agent-q");
  var results = document.getElementById("agent-results");
  var statusLine = document.getElementById("agent-status");
  var detail = document.getElementById("agent-detail");
  var none = document.getElementById("agent-none");
  var keyPanel = document.getElementById("key-panel");
  var keyInput = document.getElementById("api-key");
  var state = { items: [], selected: -1, noAnswer: false, query: "", seq: 0 };
  var timer = null;

  // A key passed as #key=… (what `policykb demo` prints) is moved into this tab's storage and off the URL.
  var hash = new URLSearchParams(location.hash.slice(1));
  if (hash.get("key")) {
    sessionStorage.setItem(KEY_STORAGE, hash.get("key"));
    history.replaceState(null, "", location.pathname + location.search);
  }
  function apiKey() { return sessionStorage.getItem(KEY_STORAGE) || ""; }
  function showKeyPanel(show) { keyPanel.hidden = !show; if (show) keyInput.focus(); }
  document.getElementById("save-key").addEventListener("click", saveKey);
  keyInput.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); saveKey(); } });
  function saveKey() {
    sessionStorage.setItem(KEY_STORAGE, keyInput.value.trim());
    keyInput.value = "";
    showKeyPanel(false);
    input.focus();
    if (input.value.trim()) search(true);
  }
  if (!apiKey()) showKeyPanel(true); else input.focus();

  function say(text, isError) {
    statusLine.textContent = text;
    statusLine.classList.toggle("error", !!isError);
  }

  function headers() {
    return { "Accept": "application/json", "X-API-Key": apiKey(), "X-PolicyKB-Channel": "hotline" };
  }

  function errorText(body, status) {
    if (body && body.message_zh) return body.message_zh + (body.message ? "（" + body.message + "）" : "");
    return "查询失败（HTTP " + status + "）";
  }

  function search(immediate) {
    clearTimeout(timer);
    var q = input.value.trim();
    if (!q) { clear(); return; }
    if (!immediate && q === state.query) return;
    var seq = ++state.seq;
    state.query = q;
    fetch("/api/qa/search?size=5&q=" + encodeURIComponent(q), { headers: headers() })
      .then(function (r) { return r.json().then(function (body) { return { status: r.status, body: body }; }); })
      .then(function (res) {
        if (seq !== state.seq) return;  // a newer keystroke already asked
        if (res.status === 401 || res.status === 403) { say(errorText(res.body, res.status), true); showKeyPanel(true); return; }
        if (res.status !== 200) { say(errorText(res.body, res.status), true); return; }
        show(res.body);
      })
      .catch(function () { if (seq === state.seq) say("网络错误，请稍后重试", true); });
  }

  function clear() {
    state.items = []; state.selected = -1; state.query = ""; state.noAnswer = false;
    results.textContent = ""; detail.hidden = true; none.hidden = true; say("");
  }

  function show(body) {
    state.noAnswer = body.no_answer;
    // Confident answers first, then the closest other entries (dashed) so the agent sees the alternatives.
    state.items = body.answers.concat(body.candidates);
    var answered = body.answers.length;
    results.textContent = "";
    state.items.forEach(function (item, i) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.id = "qa-" + i;
      li.className = "agent-result" + (i >= answered ? " candidate" : "");
      var q = document.createElement("span");
      q.className = "q";
      q.innerHTML = item.question_html;  // server-escaped; only <mark> survives (search_api.sanitize)
      var meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = [item.validity, item.department || "", Math.round(item.confidence * 100) + "%"].filter(Boolean).join(" · ");
      li.appendChild(q); li.appendChild(meta);
      li.addEventListener("click", function () { select(i); input.focus(); });
      results.appendChild(li);
    });
    none.hidden = !body.no_answer;
    if (body.no_answer) {
      say(body.message_zh || "未找到可靠答案，可转入待答复清单（Alt+U）");
    } else {
      say("找到 " + answered + " 条答案" + (body.candidates.length ? "，另有 " + body.candidates.length + " 条相近问答" : ""));
    }
    select(state.items.length && !body.no_answer ? 0 : -1);
  }

  function select(index) {
    var items = results.querySelectorAll("li");
    if (!items.length || index < 0) { state.selected = -1; detail.hidden = true; return; }
    state.selected = (index + items.length) % items.length;
    items.forEach(function (li, i) { li.classList.toggle("active", i === state.selected); li.setAttribute("aria-selected", i === state.selected ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", items[state.selected].id);
    items[state.selected].scrollIntoView({ block: "nearest" });
    var item = state.items[state.selected];
    detail.hidden = false;
    var validity = document.getElementById("detail-validity");
    validity.textContent = item.validity;
    validity.className = "badge validity-" + (item.validity === "有效" ? "ok" : "bad");
    document.getElementById("detail-confidence").textContent = "匹配度 " + Math.round(item.confidence * 100) + "%";
    document.getElementById("detail-department").textContent = item.department ? "责任部门：" + item.department : "";
    document.getElementById("detail-question").textContent = item.question;
    document.getElementById("detail-answer").textContent = item.answer;
    var policy = document.getElementById("detail-policy");
    if (item.policy) { policy.textContent = item.policy.title + (item.policy.doc_number ? "（" + item.policy.doc_number + "）" : ""); policy.href = item.policy.page_url; }
    else { policy.textContent = "（未关联政策文件）"; policy.removeAttribute("href"); }
    document.getElementById("detail-clause-label").textContent = item.clause ? item.clause.label : "";
    document.getElementById("detail-clause").textContent = item.clause && item.clause.text ? item.clause.text : "";
  }

  function copyAnswer() {
    if (state.selected < 0) { say("没有选中的答案", true); return; }
    var text = state.items[state.selected].answer;
    var done = function () { say("已复制答案"); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
    } else { fallbackCopy(text); done(); }
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text; area.setAttribute("readonly", ""); area.style.position = "fixed"; area.style.opacity = "0";
    document.body.appendChild(area); area.select(); document.execCommand("copy"); document.body.removeChild(area);
    input.focus();
  }

  function sendUnanswered() {
    var q = input.value.trim();
    if (q.length < 2) { say("请先输入问题", true); return; }
    say("正在提交…");
    fetch("/api/consultations", {
      method: "POST",
      headers: Object.assign({ "Content-Type": "application/json" }, headers()),
      body: JSON.stringify({ question: q, channel: "hotline" })
    })
      .then(function (r) { return r.json().then(function (body) { return { status: r.status, body: body }; }); })
      .then(function (res) {
        if (res.status >= 300) { say(errorText(res.body, res.status), true); return; }
        var b = res.body || {};
        if (b.outcome === "answered" && b.answer) { say("知识库已有答案：" + b.answer.answer); return; }
        var q = b.question || {};
        var base = b.outcome === "merged" ? "已并入相同的待答复问题" : "已转入待答复清单";
        var extra = q.id ? "（编号 " + q.id + (q.due_date ? "，答复期限 " + q.due_date : "") + "）" : "";
        say(base + extra + (b.message_zh && b.message_zh.indexOf(base) !== 0 ? " " + b.message_zh : ""));
      })
      .catch(function () { say("网络错误，提交失败", true); });
  }

  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { search(false); }, 200); });
  document.addEventListener("keydown", function (e) {
    if (e.target === keyInput) return;
    if (e.altKey && e.code === "KeyC") { e.preventDefault(); copyAnswer(); return; }
    if (e.altKey && e.code === "KeyU") { e.preventDefault(); sendUnanswered(); return; }
    if (e.target !== input) return;
    if (e.key === "Enter") { e.preventDefault(); search(true); }
    else if (e.key === "ArrowDown") { e.preventDefault(); select(state.selected + 1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); select(state.selected - 1); }
    else if (e.key === "Escape") { e.preventDefault(); input.value = ""; clear(); }
  });
  document.getElementById("copy-answer").addEventListener("click", copyAnswer);
  document.getElementById("send-unanswered").addEventListener("click", sendUnanswered);
})();
