// The fleet view (设备管理, docs/decisions/0028): framework-free. The list pages and filters at
// the server (/console/api/fleet) and is polled every 5 s; commands, profiles and enrolment
// codes are POST/PUT with the session's CSRF token. Text is set with textContent only.
"use strict";

const ROLE = { helper: "帮办", shift_lead: "值班长", technician: "技术员", auditor: "审计" };
const TERMINAL_STATE = { initialising: "启动中", available: "空闲", active: "群众使用中",
  attended: "工作人员服务中", maintenance: "维护中", unavailable: "暂停服务", "": "未报告" };
const DEVICE = { printer: "打印机", receipt_printer: "凭条打印机", a4_printer: "A4 打印机",
  document_printer: "A4 打印机", card_reader: "读卡器", id_card_reader: "读卡器",
  camera: "摄像头", qr: "扫码器", qr_scanner: "扫码器", scanner: "扫描仪", touch: "触摸屏",
  network: "网络", backend: "后台连接", pinpad: "密码键盘", face: "人脸识别" };
const PAPER = { ok: "正常", low: "纸张不足", out: "缺纸", "": "—" };
// why a terminal is out of service: its reasons' codes, the most relevant first (decision 0036)
const REASON = { locked: "远程锁定", maintenance: "远程维护", technician: "技术员维护",
  nightly: "夜间维护", crash: "程序崩溃", crash_loop: "反复崩溃", store_unusable: "数据库不可用",
  catalog: "事项目录不可用" };
const CRASH_KIND = { exception: "程序异常", fatal: "严重错误", watchdog: "看门狗重启" };
const PAGE_SIZE = 50;

let csrf = "";
let page = 1;
let pages = 1;
let commandsOf = null;
let lastList = null;

const $ = (id) => document.getElementById(id);

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function notice(text) {
  $("notice").textContent = text || "";
  $("notice").hidden = !text;
}

function since(iso) {
  if (!iso) return "从未";
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} 秒前`;
  if (s < 3600) return `${Math.floor(s / 60)} 分钟前`;
  if (s < 86400) return `${Math.floor(s / 3600)} 小时前`;
  return `${Math.floor(s / 86400)} 天前`;
}

function stamp(iso) {
  if (!iso) return "—";
  return new Date(iso).toLocaleString("zh-CN", { hour12: false });
}

async function api(path, options = {}) {
  const headers = { "Content-Type": "application/json" };
  if (csrf) headers["X-CSRF-Token"] = csrf;
  const r = await fetch(path, { credentials: "same-origin", ...options, headers });
  let body = null;
  try { body = await r.json(); } catch (e) { body = null; }
  if (r.status === 401) { location.href = "/console/"; }
  return { status: r.status, body };
}

function fillSelect(select, values) {
  const keep = select.value;
  while (select.options.length > 1) select.remove(1);
  values.forEach((v) => select.append(new Option(v, v)));
  select.value = values.includes(keep) ? keep : "";
}

function query() {
  const q = new URLSearchParams({ page: String(page), size: String(PAGE_SIZE) });
  [["district", "f-district"], ["hall", "f-hall"], ["fault", "f-fault"], ["q", "f-q"]]
    .forEach(([k, id]) => { const v = $(id).value.trim(); if (v) q.set(k, v); });
  return q.toString();
}

async function loadList() {
  const r = await api(`/console/api/fleet?${query()}`);
  if (r.status !== 200) { notice((r.body && r.body.message) || "加载失败，请稍后重试。"); return; }
  notice("");
  render(r.body);
}

function render(data) {
  lastList = data;
  const s = data.summary;
  $("summary").textContent = `共 ${s.terminals} 台 · 离线 ${s.offline} · 设备故障 ${s.device}` +
    ` · 纸张不足 ${s.paper} · 24 小时内崩溃 ${s.crashed || 0}（超过 ${Math.round(data.offline_after_s / 60)} 分钟无心跳即为离线）`;
  fillSelect($("f-district"), data.districts);
  fillSelect($("f-hall"), data.halls);
  pages = Math.max(1, Math.ceil(data.total / data.size));
  $("page-text").textContent = `第 ${data.page} / ${pages} 页（符合条件 ${data.total} 台）`;
  $("prev").disabled = data.page <= 1;
  $("next").disabled = data.page >= pages;
  const body = $("fleet").querySelector("tbody");
  body.replaceChildren();
  $("fleet-empty").hidden = data.terminals.length > 0;
  data.terminals.forEach((t) => {
    const tr = el("tr");
    tr.dataset.terminalId = t.id;
    const id = el("td");
    id.append(el("strong", t.id), el("div", t.place || "", "hint"));
    const state = el("td", t.online ? (TERMINAL_STATE[t.state] || t.state) : "离线",
      t.online ? `state-${t.state}` : "offline");
    if (t.online && t.state_reason) {
      state.append(el("div", t.state_reason.split(",").map((r) => REASON[r] || r).join("、"),
        "hint"));
    }
    const devices = el("td");
    if (!t.faults.length) devices.append(el("span", "正常", "ok-text"));
    t.faults.forEach((f) => {
      const d = t.devices[f] || {};
      devices.append(el("div", `${DEVICE[f] || f}：${d.reason || d.status || "故障"}`, "fault"));
    });
    const paper = el("td");
    paper.className = "paper";
    // each printer from its own counters and print rate: the receipt roll, the A4 tray
    [["凭条", "", t.paper_level, t.paper_sheets_left, t.paper_forecast],
      ["A4", "doc", t.doc_paper_level, t.doc_paper_sheets_left, t.doc_paper_forecast]]
      .forEach(([name, key, level, left, forecast]) => {
        if (!level && left === null && !forecast) return;
        const box = el("div", null, "paper-printer");
        box.dataset.printer = key || "receipt";
        box.append(el("div", `${name}：${PAPER[level] || level}`,
          level === "ok" ? "" : `paper-${level}`));
        if (left !== null && left !== undefined) box.append(el("div", `余 ${left} 张`, "hint"));
        if (forecast) box.append(el("div", forecast, "forecast"));
        paper.append(box);
      });
    if (!paper.childNodes.length) paper.textContent = "—";
    const crash = el("td");
    if (t.last_crash) {
      crash.className = "crash";
      crash.append(el("div", `${CRASH_KIND[t.last_crash.kind] || t.last_crash.kind} · ${since(t.last_crash.at)}`),
        el("div", `10 分钟内 ${t.last_crash.recent} 次` + (t.last_crash.recent >= 3 ? "（崩溃循环）" : ""),
          "hint"));
    } else crash.textContent = "—";
    const cmd = el("td");
    if (t.last_command) {
      cmd.append(el("div", t.last_command.label),
        el("div", t.last_command.status_text, `cmd-${t.last_command.status}`));
    } else cmd.textContent = "—";
    const ops = el("td");
    const b = el("button", "指令", "quiet");
    b.type = "button";
    b.addEventListener("click", () => openCommands(t.id));
    ops.append(b);
    tr.append(id, el("td", `${t.district || "—"} / ${t.hall || "—"}`), state,
      el("td", t.version || "—"), el("td", since(t.last_seen_at)), devices, paper, crash,
      el("td", String(t.backlog)), cmd, ops);
    body.append(tr);
  });
}

async function openCommands(tid) {
  commandsOf = tid;
  $("cmd-terminal").textContent = tid;
  $("cmd-error").textContent = "";
  $("command-section").hidden = false;
  await loadCommands();
  $("command-section").scrollIntoView({ block: "nearest" });
}

async function loadCommands() {
  if (!commandsOf) return;
  const r = await api(`/console/api/fleet/terminals/${encodeURIComponent(commandsOf)}/commands`);
  if (r.status !== 200) { $("cmd-error").textContent = (r.body && r.body.message) || "加载失败。"; return; }
  const body = $("cmd-list").querySelector("tbody");
  body.replaceChildren();
  r.body.commands.forEach((c) => {
    const tr = el("tr");
    tr.dataset.commandId = String(c.id);
    tr.dataset.status = c.status;
    tr.append(el("td", c.label), el("td", c.status_text, `cmd-${c.status}`),
      el("td", stamp(c.created_at)), el("td", c.issued_by || "—"), el("td", stamp(c.expires_at)));
    body.append(tr);
  });
}

async function send(kind) {
  $("cmd-error").textContent = "";
  const body = { kind, ttl_min: Number($("cmd-ttl").value) };
  if (kind === "lock") body.message = $("lock-message").value.trim();
  const r = await api(`/console/api/fleet/terminals/${encodeURIComponent(commandsOf)}/commands`,
    { method: "POST", body: JSON.stringify(body) });
  if (r.status !== 201) { $("cmd-error").textContent = (r.body && r.body.message) || "发送失败。"; return; }
  await loadCommands();
  loadList();
}

async function pushProfile() {
  const out = $("p-result");
  out.className = "";
  let profile;
  try { profile = JSON.parse($("p-json").value); } catch (e) {
    out.textContent = "配置不是有效的 JSON。"; out.className = "error"; return;
  }
  const hall = $("p-hall").value.trim();
  if (!hall) { out.textContent = "请填写大厅。"; out.className = "error"; return; }
  const r = await api(`/console/api/fleet/profiles/${encodeURIComponent(hall)}`,
    { method: "PUT", body: JSON.stringify({ profile }) });
  if (r.status === 200) {
    out.textContent = `已推送第 ${r.body.version} 版到 ${r.body.terminals} 台终端：终端校验写入后为“已接受”，空闲时重启，以新配置启动后为“已生效”。`;
    out.className = "ok-text";
    loadProfiles();
    loadList();
  } else {
    out.textContent = (r.body && r.body.message) || "推送失败。";
    out.className = "error";
  }
}

async function loadProfiles() {
  const r = await api("/console/api/fleet/profiles");
  if (r.status !== 200) return;
  const list = $("profiles");
  list.replaceChildren();
  r.body.profiles.forEach((p) => list.append(el("li",
    `${p.hall}：第 ${p.version} 版，${p.updated_by} 于 ${stamp(p.updated_at)} · ${JSON.stringify(p.profile)}`)));
}

async function makeCode() {
  const out = $("e-result");
  const r = await api("/console/api/fleet/enrolment-codes", { method: "POST", body: JSON.stringify({
    hall: $("e-hall").value.trim(), district: $("e-district").value.trim(),
    terminal_id: $("e-terminal").value.trim() }) });
  if (r.status === 201) {
    out.textContent = `${r.body.code}（一次性，${stamp(r.body.expires_at)} 前有效）`;
    out.className = "code";
  } else {
    out.textContent = (r.body && r.body.message) || "生成失败。";
    out.className = "error";
  }
}

document.addEventListener("DOMContentLoaded", async () => {
  const me = await api("/console/api/me");
  if (me.status !== 200) return;
  csrf = me.body.csrf;
  const s = me.body.staff;
  $("who-text").textContent = `${s.name}（${ROLE[s.role] || s.role}，工号 ${s.staff_no}）` +
    (s.hall ? ` · ${s.hall}` : " · 全市");
  $("who").hidden = false;
  $("logout").addEventListener("click", async () => {
    await api("/console/api/logout", { method: "POST", body: "{}" });
    location.href = "/console/";
  });
  if (s.role !== "technician" && s.role !== "shift_lead") {
    notice("只有技术员和值班长能使用设备管理。");
    return;
  }
  $("p-hall").value = s.hall || "";
  $("e-hall").value = s.hall || "";
  $("fleet-main").hidden = false;
  const labels = (await api("/console/api/fleet?size=1")).body;
  Object.entries((labels && labels.commands) || {}).forEach(([kind, label]) => {
    const b = el("button", label, kind === "lock" || kind === "restart" ? "" : "quiet");
    b.type = "button";
    b.dataset.kind = kind;
    b.addEventListener("click", () => send(kind));
    $("cmd-buttons").append(b);
  });
  $("filters").addEventListener("submit", (ev) => { ev.preventDefault(); page = 1; loadList(); });
  ["f-district", "f-hall", "f-fault"].forEach((id) =>
    $(id).addEventListener("change", () => { page = 1; loadList(); }));
  $("prev").addEventListener("click", () => { if (page > 1) { page -= 1; loadList(); } });
  $("next").addEventListener("click", () => { if (page < pages) { page += 1; loadList(); } });
  $("cmd-close").addEventListener("click", () => { commandsOf = null; $("command-section").hidden = true; });
  $("p-push").addEventListener("click", pushProfile);
  $("e-make").addEventListener("click", makeCode);
  await loadList();
  loadProfiles();
  setInterval(() => { loadList(); loadCommands(); }, 5000);
});
