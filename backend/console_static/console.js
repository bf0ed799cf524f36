// The hall console (大厅值守台): framework-free. Data arrive as server-sent events
// (/console/api/stream); actions are POSTs carrying the session's CSRF token and the help
// request's version (a stale one gets 409 and a message). Text is set with textContent only.
"use strict";

const ROLE = { helper: "帮办", shift_lead: "值班长", technician: "技术员", auditor: "审计" };
const HELP_STATE = { open: "等待接单", taken: "处理中", held: "暂挂" };
const TERMINAL_STATE = { initialising: "启动中", available: "空闲", active: "群众使用中",
  attended: "工作人员服务中", maintenance: "维护中", unavailable: "暂停服务", "": "未报告" };
const SCREEN = { home: "首页", flow: "办事流程", search: "搜索", catalog: "事项目录",
  identify: "身份核验", consent: "授权确认", result: "办理结果", print: "打印", step_guide: "操作指引" };
const STEP = { identify: "身份核验", consent: "授权确认", choose: "选择", query: "查询中",
  show: "查看结果", preview: "打印预览", print: "打印中", rate: "评价", done: "完成" };
const DEVICE = { printer: "打印机", receipt_printer: "凭条打印机", a4_printer: "A4 打印机",
  card_reader: "读卡器", camera: "摄像头", qr: "扫码器", qr_scanner: "扫码器", scanner: "扫描仪", touch: "触摸屏", network: "网络", backend: "后台连接",
  pinpad: "密码键盘", face: "人脸识别" };
const EVENT = { console_login: "登录", console_login_failed: "登录失败",
  console_locked: "账号锁定", console_login_locked: "锁定期间尝试登录",
  console_login_refused: "登录被拒（停用或过期）", console_logout: "退出",
  console_idle_logout: "超时退出", console_csrf_refused: "拒绝无令牌请求",
  console_action_refused: "操作被拒", help_taken: "接单", help_held: "暂挂",
  help_finished: "完成求助", remote_view_requested: "请求查看屏幕", remote_view_ended: "结束查看",
  enrolment_takeover_refused: "拒绝冒用终端注册", lookup_limit: "查询超限",
  e_credential_replayed: "电子凭证重复使用" };
const ACTION = { staff_login: "工作人员登录", staff_logout: "工作人员退出", pin_failed: "密码错误",
  staff_locked: "账号锁定", attend_item: "代办事项", maintenance: "终端维护", reprint: "补打", fault_cleared: "清除故障",
  session_ended: "结束会话", help_taken: "接单", remote_view: "远程帮办" };
const VIEW = { requested: "已请求查看屏幕，等待群众在终端上点击“允许”……",
  allowed: "群众已同意，正在显示终端屏幕（个人信息已遮挡）。", ended: "远程查看已结束。" };

let csrf = "";
let outcomes = [];
let stream = null;
let snapshot = null;
let renderedKey = "";
let auditLoaded = false;
const chosenOutcome = {};

const $ = (id) => document.getElementById(id);

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function notice(text) {
  const n = $("notice");
  n.textContent = text || "";
  n.hidden = !text;
}

function since(iso) {
  if (!iso) return "—";
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} 秒`;
  if (s < 3600) return `${Math.floor(s / 60)} 分钟`;
  return `${Math.floor(s / 3600)} 小时 ${Math.floor((s % 3600) / 60)} 分`;
}

function clock(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  return d.toLocaleTimeString("zh-CN", { hour12: false });
}

async function api(path, options = {}) {
  const headers = { "Content-Type": "application/json" };
  if (csrf) headers["X-CSRF-Token"] = csrf;
  const r = await fetch(path, { credentials: "same-origin", ...options, headers });
  let body = null;
  try { body = await r.json(); } catch (e) { body = null; }
  return { status: r.status, body };
}

function showLogin(message) {
  if (stream) { stream.close(); stream = null; }
  csrf = "";
  snapshot = null;
  renderedKey = "";
  auditLoaded = false;
  $("main").hidden = true;
  $("who").hidden = true;
  $("login").hidden = false;
  notice(message || "");
  $("staff-no").focus();
}

function handleRefusal(r) {
  const message = (r.body && r.body.message) || "操作失败，请重试。";
  if (r.status === 401) { showLogin(message); return; }
  notice(message);
  refresh();
}

async function refresh() {
  const r = await api("/console/api/hall");
  if (r.status === 200) render(r.body);
  else if (r.status === 401) showLogin(r.body && r.body.message);
}

function start(me) {
  csrf = me.csrf;
  outcomes = me.outcomes || [];
  const s = me.staff;
  $("who-text").textContent = `${s.name}（${ROLE[s.role] || s.role}，工号 ${s.staff_no}）` +
    (s.hall ? ` · ${s.hall}` : " · 全市");
  $("who").hidden = false;
  $("fleet-link").hidden = !(s.role === "technician" || s.role === "shift_lead");
  $("login").hidden = true;
  $("main").hidden = false;
  if (stream) stream.close();
  stream = new EventSource("/console/api/stream");
  stream.addEventListener("hall", (ev) => render(JSON.parse(ev.data)));
  stream.addEventListener("ended", (ev) => {
    const data = JSON.parse(ev.data);
    showLogin(data.message);
  });
  stream.onerror = async () => {
    // The stream is refused when the session ended: ask why.
    if (stream && stream.readyState === EventSource.CLOSED) {
      const r = await api("/console/api/me");
      if (r.status === 401) showLogin(r.body && r.body.message);
    }
  };
  refresh();
}

async function act(req, action, extra) {
  const r = await api(`/console/api/help/${req.request_id}/${action}`, {
    method: "POST", body: JSON.stringify({ version: req.version, ...(extra || {}) }) });
  if (r.status === 200) { notice(""); refresh(); } else handleRefusal(r);
}

function button(text, onclick, quiet) {
  const b = el("button", text, quiet ? "quiet" : "");
  b.type = "button";
  b.addEventListener("click", () => { b.disabled = true; onclick(); });
  return b;
}

function renderHelp(snap) {
  const list = $("help-list");
  list.replaceChildren();
  $("help-section").hidden = !snap.sees_help;
  const places = {};
  snap.terminals.forEach((t) => { places[t.id] = t.place; });
  $("help-count").textContent = snap.help.length ? `（${snap.help.length}）` : "";
  $("help-empty").hidden = snap.help.length > 0;
  let remote = null;
  for (const h of snap.help) {
    const li = el("li", null, `help ${h.state}`);
    li.dataset.requestId = h.request_id;
    li.dataset.state = h.state;
    li.append(el("div", `终端 ${h.terminal_id}${h.place ? " · " + h.place : ""}`, "title"));
    const where = [SCREEN[h.screen] || h.screen, h.item_name || (h.item_id ? `事项 ${h.item_id}` : ""),
      h.step ? (STEP[h.step] || `步骤 ${h.step}`) : ""].filter(Boolean).join(" · ");
    li.append(el("div", `${where} · 已等待 ${since(h.waiting_since)}`, "meta"));
    let status = HELP_STATE[h.state] || h.state;
    if (h.staff_name) status += `：${h.staff_name}`;
    li.append(el("div", status, "status"));
    if (snap.can_act) {
      const actions = el("div", null, "actions");
      if (h.state === "open" || h.state === "held") {
        actions.append(button("接单", () => act(h, "take")));
      }
      if (h.state === "taken" && h.mine) {
        actions.append(button("暂挂", () => act(h, "hold"), true));
        if (h.remote_view === "none" || h.remote_view === "ended") {
          actions.append(button("请求查看屏幕", () => act(h, "view"), true));
        }
      }
      if ((h.state === "taken" || h.state === "held") &&
          (h.mine || snap.staff.role === "shift_lead")) {
        const sel = el("select");
        sel.setAttribute("aria-label", "处理结果");
        outcomes.forEach((o) => sel.append(el("option", o)));
        if (chosenOutcome[h.request_id]) sel.value = chosenOutcome[h.request_id];
        sel.addEventListener("change", () => { chosenOutcome[h.request_id] = sel.value; });
        actions.append(sel, button("完成", () => act(h, "finish", { outcome: sel.value })));
      }
      li.append(actions);
    }
    if (h.mine && h.remote_view !== "none") remote = h;
    list.append(li);
  }
  renderRemote(remote);
}

function renderRemote(h) {
  const section = $("remote");
  section.hidden = !h;
  if (!h) { $("remote-frame").hidden = true; return; }
  $("remote-status").textContent = `终端 ${h.terminal_id}：${VIEW[h.remote_view] || ""}`;
  const img = $("remote-frame");
  if (h.remote_view === "allowed" && h.frame_no > 0) {
    const src = `/console/api/help/${h.request_id}/frame?n=${h.frame_no}`;
    if (img.getAttribute("src") !== src) img.setAttribute("src", src);
    img.hidden = false;
  } else {
    img.hidden = true;
    img.removeAttribute("src");
  }
  const end = $("remote-end");
  end.hidden = !(h.remote_view === "requested" || h.remote_view === "allowed");
  end.disabled = false;
  end.onclick = () => { end.disabled = true; act(h, "view-end"); };
}

// why a terminal is out of service: every reason's code, the most relevant first
// (docs/decisions/0036); a device's code (id_card_reader.offline) is shown as it is
const REASON = { locked: "远程锁定", maintenance: "远程维护", technician: "技术员维护",
  nightly: "夜间维护", crash: "程序崩溃", crash_loop: "反复崩溃", store_unusable: "数据库不可用",
  catalog: "事项目录不可用" };

function reasonText(reason) {
  if (!reason) return "—";
  return reason.split(",").map((r) => REASON[r] || r).join("、");
}

function renderTerminals(snap) {
  const body = $("terminals").tBodies[0];
  body.replaceChildren();
  $("terminal-count").textContent = `（${snap.terminals.length} 台）`;
  for (const t of snap.terminals) {
    const tr = el("tr");
    tr.dataset.terminalId = t.id;
    tr.append(el("td", t.id), el("td", t.place || "—"));
    if (t.online) {
      tr.append(el("td", TERMINAL_STATE[t.state] || t.state, `state-${t.state}`));
    } else {
      tr.append(el("td", "离线", "offline"));
    }
    tr.append(el("td", t.online ? reasonText(t.state_reason) : "心跳中断，请到现场查看"));
    tr.append(el("td", t.last_seen_at ? `${clock(t.last_seen_at)}（${since(t.last_seen_at)}前）` : "从未"));
    const faults = el("td");
    if (!t.faults.length) faults.textContent = "—";
    t.faults.forEach((f) => faults.append(el("div", `${DEVICE[f.device] || f.device}：${f.reason || f.status}`, "fault")));
    tr.append(faults);
    body.append(tr);
  }
}

function render(snap, force) {
  snapshot = snap;
  // A new frame alone changes only the picture: the lists (and a chosen outcome) stay.
  const key = JSON.stringify({ ...snap, help: snap.help.map((h) => ({ ...h, frame_no: 0 })) });
  if (key === renderedKey && !force) {
    renderRemote(snap.help.find((h) => h.mine && h.remote_view !== "none") || null);
    return;
  }
  renderedKey = key;
  renderHelp(snap);
  renderTerminals(snap);
  $("audit-section").hidden = !snap.can_audit;
  if (snap.can_audit && !auditLoaded) { auditLoaded = true; loadAudit(); }
}

async function loadAudit() {
  const r = await api("/console/api/audit");
  if (r.status !== 200) { handleRefusal(r); return; }
  const chains = $("audit-chains");
  chains.replaceChildren();
  r.body.chains.forEach((c) => chains.append(el("li",
    `终端 ${c.terminal_id}：${c.entries} 条记录，` + (c.problem ? `链校验失败（${c.problem}）` : "链校验通过"),
    c.problem ? "fault" : "")));
  const body = $("audit-log").tBodies[0];
  body.replaceChildren();
  r.body.log.forEach((a) => {
    const tr = el("tr");
    tr.append(el("td", `${new Date(a.at).toLocaleString("zh-CN", { hour12: false })}`),
      el("td", EVENT[a.kind] || a.kind), el("td", a.staff_no || "—"),
      el("td", a.terminal_id || "—"), el("td", a.detail || ""));
    body.append(tr);
  });
  const entries = $("audit-entries").tBodies[0];
  entries.replaceChildren();
  r.body.entries.forEach((e) => {
    const tr = el("tr");
    tr.append(el("td", `${new Date(e.at).toLocaleString("zh-CN", { hour12: false })}`),
      el("td", `${e.terminal_id} #${e.seq}`), el("td", ACTION[e.action] || e.action),
      el("td", e.staff_no || "—"), el("td", JSON.stringify(e.detail)));
    entries.append(tr);
  });
}

async function login(ev) {
  ev.preventDefault();
  $("login-error").textContent = "";
  const r = await api("/console/api/login", { method: "POST", body: JSON.stringify({
    staff_no: $("staff-no").value.trim(), pin: $("pin").value }) });
  $("pin").value = "";
  if (r.status === 200) {
    notice("");
    const me = await api("/console/api/me");
    if (me.status === 200) start(me.body);
  } else {
    $("login-error").textContent = (r.body && r.body.message) || "登录失败，请重试。";
  }
}

async function logout() {
  await api("/console/api/logout", { method: "POST", body: "{}" });
  showLogin("您已退出登录。");
}

document.addEventListener("DOMContentLoaded", async () => {
  $("login-form").addEventListener("submit", login);
  $("logout").addEventListener("click", logout);
  $("audit-load").addEventListener("click", loadAudit);
  setInterval(() => { if (snapshot) render(snapshot, true); }, 10000);
  const r = await api("/console/api/me");
  if (r.status === 200) start(r.body);
  else showLogin(r.body && r.body.error !== "no_session" ? r.body.message : "");
});
