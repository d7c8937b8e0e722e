// draftgen 工作台: the fact sheet as a form beside its YAML, the draft beside both.
// The YAML text is the sheet; the form is a view of it. Every change goes to the
// server (merge into the YAML with comments kept, then draft), nothing is computed here.
"use strict";

let csrf = document.querySelector('meta[name="csrf-token"]').content;
const workspace = document.querySelector('meta[name="workspace"]').content;
// the writer's working copy and the last file used, kept in this browser per workspace folder
const WORK_KEY = `draftgen:work:${workspace}`;
const LAST_KEY = `draftgen:last:${workspace}`;
const $ = (selector) => document.querySelector(selector);
const PRIMITIVE = new Set(["text", "number", "year", "month", "count", "bool", "choice", "date"]);
const LONG_TEXT = new Set(["facts", "measures", "progress", "effect", "detail", "thinking", "text"]);

const state = {
  spec: null, topics: [], yaml: "", data: {}, form: "", fileName: null,
  revision: 0, sent: 0, timer: null, template: null, unfolded: new Set(),
  // the text as it is on disk (opened or saved), and that file's version: what a save starts from
  savedYaml: null, version: null,
};

// -- talking to the server -------------------------------------------------------------
async function api(path, { json, form, method, headers, retried } = {}) {
  const options = { method: method || (json || form ? "POST" : "GET"),
                    headers: { "X-CSRF-Token": csrf, ...(headers || {}) } };
  if (json) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(json);
  } else if (form) {
    options.body = form;
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch (error) {
    return { ok: false, status: 0, data: { errors: [{ message: "连不上工作台：请确认 draftgen serve 还开着。" }] } };
  }
  if (response.status === 403 && !retried && await freshToken()) {
    // the server was restarted and made a new token: take it and send the request again
    return api(path, { json, form, method, headers, retried: true });
  }
  const type = response.headers.get("content-type") || "";
  let data = type.includes("json") ? await response.json() : null;
  if (!response.ok && !(data && data.errors)) {
    data = { errors: [{ message: `工作台没有办成这件事（HTTP ${response.status}）。` }] };
  }
  return { ok: response.ok, status: response.status, data, response };
}

async function freshToken() {
  try {
    const response = await fetch("/api/session", { cache: "no-store" });
    if (!response.ok) return false;
    const token = (await response.json()).csrf;
    if (!token || token === csrf) return false;
    csrf = token;
    document.body.setAttribute("hx-headers", JSON.stringify({ "X-CSRF-Token": csrf }));
    return true;
  } catch (error) {
    return false;
  }
}

function errorText(errors) {
  return (errors || []).map((e) => (e.line ? `第${e.line}行：` : "") + e.message).join("\n");
}

function show(element, text) {
  element.hidden = !text;
  element.textContent = text || "";
}

function status(text) {
  $("#status").textContent = text;
}

// -- paths into the sheet --------------------------------------------------------------
function getAt(path) {
  let node = state.data;
  for (const key of path) {
    if (node == null) return undefined;
    node = node[key];
  }
  return node;
}

function setAt(path, value) {
  let node = state.data;
  path.slice(0, -1).forEach((key, i) => {
    if (node[key] == null || typeof node[key] !== "object") node[key] = typeof path[i + 1] === "number" ? [] : {};
    node = node[key];
  });
  const last = path[path.length - 1];
  if (value === undefined) {
    if (Array.isArray(node)) node[last] = undefined; else delete node[last];
  } else {
    node[last] = value;
  }
}

// what the YAML gets: no empty texts, lists or maps; an item that is only its text is written as text
function clean(value, spec) {
  if (Array.isArray(value)) {
    const items = value.map((v) => clean(v, spec && spec.item)).filter((v) => v !== undefined);
    return items.length ? items : undefined;
  }
  if (value && typeof value === "object") {
    const out = {};
    for (const [key, v] of Object.entries(value)) {
      const sub = spec && spec.fields ? spec.fields[key] : null;
      const c = clean(v, sub);
      if (c !== undefined) out[key] = c;
    }
    const keys = Object.keys(out);
    if (!keys.length) return undefined;
    if (spec && spec.kind === "text|map" && keys.length === 1 && keys[0] === spec.text_key) return out[spec.text_key];
    return out;
  }
  if (typeof value === "string" && value.trim() === "") return undefined;
  return value;
}

// -- the form, built from the fact-sheet spec ------------------------------------------
function pathKey(path) {
  return JSON.stringify(path);
}

function element(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (value !== undefined && value !== null && value !== false) node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function button(label, title, onClick) {
  const b = element("button", { type: "button", title, text: label });
  b.addEventListener("click", onClick);
  return b;
}

function input(spec, path, key) {
  const value = getAt(path);
  let control;
  if (spec.kind === "choice") {
    control = element("select", {}, element("option", { value: "", text: "（不填）" }));
    for (const choice of spec.choices) control.append(element("option", { value: choice.value, text: choice.label }));
    if (value != null && ![...control.options].some((o) => o.value === String(value))) {
      control.append(element("option", { value: String(value), text: String(value) }));
    }
    control.value = value == null ? "" : String(value === true ? "true" : value);
  } else if (spec.kind === "bool") {
    control = element("input", { type: "checkbox" });
    control.checked = value === true;
  } else if (spec.kind === "date") {
    control = element("input", { type: "date", value: value || "" });
  } else if (spec.kind === "text" && LONG_TEXT.has(key)) {
    const hint = typeof value === "string" && /【[^】]*】/.test(value) ? value : null;
    control = element("textarea", { rows: 2, placeholder: hint || undefined });
    control.value = value == null || hint ? "" : String(value);
  } else {
    const numeric = ["number", "year", "month", "count"].includes(spec.kind);
    // a new sheet's 【待补充：上级区县，如 河西区】 is a hint in grey, not text to delete first
    const hint = typeof value === "string" && /【[^】]*】/.test(value) ? value : null;
    control = element("input", { type: "text", inputmode: numeric ? "decimal" : undefined,
                                  placeholder: hint || (numeric && value === null ? "（待补充）" : undefined) });
    control.value = value == null || hint ? "" : String(value);
    if (key === "topic") control.setAttribute("list", "topic-list");
  }
  control.dataset.path = pathKey(path);
  control.setAttribute("aria-label", spec.label);
  control.title = spec.desc;
  const update = () => {
    let v;
    if (spec.kind === "bool") v = control.checked ? true : undefined;
    else if (["number", "year", "month", "count"].includes(spec.kind)) {
      const text = plainNumber(control.value, key);
      if (text === "") v = undefined;
      else if (text === "null") v = null;
      else v = Number.isFinite(Number(text)) ? Number(text) : text;  // a wrong number is the server's to report
    } else v = control.value === "" ? undefined : control.value;
    setAt(path, v);
    if (["name", "topic", "title", "text"].includes(key)) {
      const card = control.closest(".card");
      const title = card && card.querySelector(":scope > .card-head .title");
      if (title && card.dataset.path === pathKey(path.slice(0, -1))) {
        title.textContent = `${path[path.length - 2] + 1}. ${control.value || title.dataset.blank}`;
      }
    }
    changed();
  };
  // typed through an input method (pinyin), a field sends nothing until the word is chosen
  control.addEventListener(spec.kind === "bool" || spec.kind === "choice" ? "change" : "input", (event) => {
    if (!event.isComposing) update();
  });
  control.addEventListener("compositionend", update);
  return control;
}

// ４５．１ → 45.1, 1,234 → 1234, and 7.3% in a rate field → 7.3: the same number, as YAML writes it
function plainNumber(typed, key) {
  let text = typed.trim().replace(/[０-９．－]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  if (/^-?\d{1,3}([,，]\d{3})+(\.\d+)?$/.test(text)) text = text.replace(/[,，]/g, "");
  if (/growth$/.test(key)) text = text.replace(/\s*[%％]$/, "");
  return text;
}

function fieldRow(key, spec, path) {
  const id = "f" + Math.random().toString(36).slice(2);
  const control = input(spec, path, key);
  control.id = id;
  return element("div", { class: "field" },
    element("label", { for: id }, spec.label, spec.required ? element("span", { class: "req", text: " *" }) : null),
    control);
}

function mapFields(container, spec, path) {
  for (const [key, sub] of Object.entries(spec.fields)) container.append(renderField(key, sub, [...path, key]));
}

function renderField(key, spec, path) {
  if (PRIMITIVE.has(spec.kind)) return fieldRow(key, spec, path);
  const box = element("fieldset", { "data-path": pathKey(path) }, element("legend", { text: spec.label }));
  if (spec.kind === "map") mapFields(box, spec, path);
  else if (spec.kind === "list") box.append(listEditor(spec, path, key));
  return box;
}

function move(path, i, delta) {
  const list = getAt(path);
  const j = i + delta;
  if (!list || j < 0 || j >= list.length) return;
  [list[i], list[j]] = [list[j], list[i]];
  changed();
  renderForm();
}

function removeAt(path, i, label) {
  const [item] = getAt(path).splice(i, 1);
  changed();
  renderForm();
  toast(`已删除“${label}”。`, "撤销", () => {
    const list = getAt(path) || [];
    list.splice(Math.min(i, list.length), 0, item);
    if (!getAt(path)) setAt(path, list);
    changed();
    renderForm();
    status(`已恢复“${label}”。`);
  });
}

// a message that stays until it is read (closed, or its action taken)
function toast(text, action, onAction) {
  const box = $("#toast");
  const close = element("button", { type: "button", class: "close", "aria-label": "关闭提示", text: "×" });
  close.addEventListener("click", () => { box.hidden = true; });
  box.replaceChildren(element("span", { text }));
  if (action) {
    const act = button(action, "", () => { box.hidden = true; onAction(); });
    act.className = "toast-action";
    box.append(act);
  }
  box.append(close);
  box.hidden = false;
  (box.querySelector(".toast-action") || close).focus();
}

function addItem(path, item) {
  const list = getAt(path);
  if (Array.isArray(list)) list.push(item); else setAt(path, [item]);
  renderForm();
  const fresh = document.querySelectorAll(`[data-path^='${pathKey([...path, getAt(path).length - 1]).slice(0, -1)}']`);
  const target = [...fresh].find((n) => n.matches("input, textarea, select"));
  if (target) target.focus();
}

function rowName(path, i, spec) {
  const value = (getAt(path) || [])[i];
  return typeof value === "string" ? value : itemTitle(value, spec, i).replace(/^\d+\. /, "");
}

function itemTitle(item, spec, i) {
  if (item && typeof item === "object") {
    const named = item.name || item.topic || item.title || item.text;
    if (named) return `${i + 1}. ${named}`;
  }
  return `${i + 1}. ${spec.label}`;
}

function listEditor(spec, path, key) {
  const item = spec.item;
  const wrap = element("div", { class: "list" });
  let list = getAt(path);
  if (!Array.isArray(list)) list = [];
  const tools = (i) => element("span", { class: "tools" },
    button("↑", "上移", () => move(path, i, -1)), button("↓", "下移", () => move(path, i, 1)),
    button("✕", "删除这一项（可撤销）", () => removeAt(path, i, rowName(path, i, item))));

  if (PRIMITIVE.has(item.kind)) {  // honours, facts, measures: one line each
    wrap.className = "list list-text";
    list.forEach((_, i) => {
      const control = input(item, [...path, i], LONG_TEXT.has(key) ? "facts" : key);
      wrap.append(element("div", { class: "item" }, control, tools(i)));
    });
    wrap.append(addButton(path, "", item.label));
    return wrap;
  }
  const fields = item.fields || {};
  const flat = Object.values(fields).every((f) => PRIMITIVE.has(f.kind));
  if (flat) {  // indicators, targets: a table, the less used columns under “更多”
    const names = Object.keys(fields);
    const shown = names.slice(0, 6);
    const more = names.slice(6);
    const table = element("table", { class: "grid" });
    const head = element("tr", {});
    shown.forEach((n) => head.append(element("th", { text: fields[n].label, title: fields[n].desc })));
    head.append(element("th", { text: "" }));
    table.append(element("thead", {}, head));
    const body = element("tbody", {});
    list.forEach((row, i) => {
      const tr = element("tr", { "data-path": pathKey([...path, i]) });
      shown.forEach((n) => tr.append(element("td", {}, input(fields[n], [...path, i, n], n))));
      const extra = element("tr", { class: "more-row" });
      const cell = element("td", { colspan: shown.length + 1 });
      more.forEach((n) => cell.append(fieldRow(n, fields[n], [...path, i, n])));
      extra.append(cell);
      // folded; the button says how many of the folded fields hold something (更多·2)
      const filled = more.filter((n) => row && row[n] != null && row[n] !== "").length;
      extra.hidden = !state.unfolded.has(pathKey([...path, i]));
      const toggle = button(filled ? `更多·${filled}` : "更多", "其余各项：" + more.map((n) => fields[n].label).join("、"), () => {
        extra.hidden = !extra.hidden;
        const key = pathKey([...path, i]);
        if (extra.hidden) state.unfolded.delete(key); else state.unfolded.add(key);
      });
      tr.append(element("td", { class: "tools" }, toggle, tools(i)));
      body.append(tr, extra);
    });
    table.append(body);
    wrap.append(element("div", { class: "scroll-x" }, table), addButton(path, {}, item.label));
    return wrap;
  }
  list.forEach((value, i) => {  // work topics, items, projects, problems: a card each
    if (typeof value === "string" && item.text_key) list[i] = { [item.text_key]: value };
    const card = element("div", { class: "card", "data-path": pathKey([...path, i]) },
      element("div", { class: "card-head" },
        element("span", { class: "title", text: itemTitle(list[i], item, i), "data-blank": item.label }), tools(i)));
    mapFields(card, item, [...path, i]);
    wrap.append(card);
  });
  wrap.append(addButton(path, {}, item.label));
  return wrap;
}

function addButton(path, blank, label) {
  const b = button("＋ 添加" + label.replace(/^下一步/, "").replace(/^一(个|项|条)/, ""), "", () => addItem(path, blank));
  b.className = "add";
  return b;
}

function renderForm() {
  const form = $("#sheet-form");
  const scroll = form.parentElement.parentElement.scrollTop;
  form.replaceChildren();
  const spec = state.spec;
  const basics = element("fieldset", {}, element("legend", { text: "基本信息" }));
  const rest = [];
  for (const [key, sub] of Object.entries(spec.fields)) {
    if (PRIMITIVE.has(sub.kind)) basics.append(fieldRow(key, sub, [key]));
    else rest.push(renderField(key, sub, [key]));
  }
  form.append(basics, ...rest);
  const list = element("datalist", { id: "topic-list" });
  state.topics.forEach((t) => list.append(element("option", { value: t })));
  form.append(list);
  form.parentElement.parentElement.scrollTop = scroll;
  markErrors(state.errors || []);
}

// -- errors at their fields ------------------------------------------------------------
function markErrors(errors) {
  document.querySelectorAll(".invalid").forEach((n) => n.classList.remove("invalid"));
  document.querySelectorAll(".field-error, .error-row").forEach((n) => n.remove());
  for (const error of errors) {
    if (!error.path || !error.path.length) continue;
    for (let n = error.path.length; n > 0; n--) {
      const target = document.querySelector(`#sheet-form [data-path='${pathKey(error.path.slice(0, n))}']`);
      if (!target) continue;
      target.classList.add("invalid");
      const folded = target.closest("tr.more-row");
      if (folded) folded.hidden = false;  // a mistake in a folded field unfolds it
      const note = element("div", { class: "field-error", text: error.message });
      const row = target.closest("td") && target.closest("tr");
      if (row) {
        // in a table the message takes a row of its own under the row, not the narrow cell
        row.after(element("tr", { class: "error-row" }, element("td", { colspan: row.cells.length }, note)));
      } else if (target.matches("input, textarea, select")) target.after(note);
      else target.prepend(note);
      break;
    }
  }
}

// -- keeping YAML, form and draft together ---------------------------------------------
function changed() {
  clearTimeout(state.timer);
  state.timer = setTimeout(syncFromForm, 30);
}

async function syncFromForm() {
  // the form's values go with the draft request: the server merges them into the YAML
  // (comments kept), drafts, and sends back both
  await draft(clean(state.data, state.spec) || {});
}

async function syncFromYaml() {
  const text = $("#yaml-source").value;
  const sent = ++state.sent;
  const parsed = await api("/api/sheet/parse", { json: { yaml: text } });
  if (sent !== state.sent) return;
  if (!parsed.ok) {
    show($("#yaml-errors"), errorText(parsed.data.errors));
    status("事实表原文有错，草稿暂未更新（见“事实表原文”一栏）。");
    return;
  }
  show($("#yaml-errors"), "");
  state.yaml = text;
  remember();
  state.data = parsed.data.data;
  renderForm();
  await draft();
}

async function draft(formData = null) {
  const started = performance.now();
  const sent = ++state.sent;
  const body = { facts: state.yaml, form: state.form || null };
  if (formData) body.data = formData;
  const result = await api("/api/draft", { json: body });
  if (sent !== state.sent) return;  // a newer change is on its way
  const took = Math.round(performance.now() - started);
  if (result.data && typeof result.data.yaml === "string") {
    state.yaml = result.data.yaml;
    const source = $("#yaml-source");
    if (document.activeElement !== source) source.value = state.yaml;
  }
  remember();
  const preview = $("#preview");
  if (!result.ok) {
    state.errors = result.data.errors || [];
    show($("#draft-errors"), `事实表有 ${state.errors.length} 处问题，改好后草稿会自动更新：\n` + errorText(state.errors));
    show($("#sheet-errors"), errorText(state.errors));
    markErrors(state.errors);
    status(`未能起草（${took} ms）`);
    preview.dataset.revision = ++state.revision;
    preview.dataset.state = "error";
    return;
  }
  state.errors = [];
  markErrors([]);
  show($("#draft-errors"), "");
  show($("#sheet-errors"), "");
  const data = result.data;
  preview.innerHTML = data.html;  // built and escaped on the server
  preview.dataset.revision = ++state.revision;
  preview.dataset.state = "ok";
  periodForms();
  // the chosen wording is the sheet's (wording: N), so a reload or the DOCX keeps it
  const wording = Number(state.data.wording) || 1;
  $("#seed").textContent = wording > 1 ? `第 ${wording} 种说法` : "";
  const holes = $("#placeholders");
  holes.replaceChildren();
  holes.hidden = !data.placeholders.length;
  if (data.placeholders.length) {
    holes.append(`待补充 ${data.placeholders.length} 处：`);
    for (const hole of data.placeholders) {
      const link = element("a", { href: "#", text: hole.text.replace(/^【待补充：|】$/g, "") });
      link.addEventListener("click", (e) => {
        e.preventDefault();
        flash(preview.querySelector(`[data-block='${hole.block}']`));
      });
      holes.append(link);
    }
  }
  const warnings = data.warnings.length ? ` · 提醒：${data.warnings.join("；")}` : "";
  status(`已更新（${took} ms）${warnings}`);
}

// one say on the period: the sheet's 期别. The 文体 menu offers only the forms of that period
// (a half-year summary of a full year's figures would put 上半年 over 1—12月)
function periodForms() {
  const half = state.data.period === "half-year";
  for (const option of $("#draft-form").options) {
    const wrong = (half && option.value === "annual") || (!half && option.value === "half-year");
    option.disabled = wrong;
    option.title = wrong ? (half ? "事实表的期别是半年：要写年度总结，先把期别改成年度" :
      "事实表的期别是年度：要写半年总结，先把期别改成半年") : "";
  }
  if ($("#draft-form").selectedOptions[0]?.disabled) {
    $("#draft-form").value = "";
    state.form = "";
  }
}

function flash(node) {
  if (!node) return;
  node.scrollIntoView({ block: "center", behavior: "smooth" });
  node.classList.add("flash");
  setTimeout(() => node.classList.remove("flash"), 1200);
}

// the sheet in the page replaced by ``text``: ``saved`` is the file's text and version on disk
// (opened), or null for a sheet not saved yet (new, imported, recovered)
async function loadYaml(text, name, saved = null) {
  $("#yaml-source").value = text;
  state.yaml = text;
  state.fileName = name;
  state.savedYaml = saved ? saved.yaml : null;
  state.version = saved ? saved.version : null;
  $("#open-sheet").value = name || "";
  if (name && saved) localStorage.setItem(LAST_KEY, name);
  remember();
  await syncFromYaml();
}

// -- never losing the writer's work ----------------------------------------------------
function dirty() {
  return state.yaml !== state.savedYaml;
}

// the marker beside the file's name, and the working copy kept in this browser until saved
function remember() {
  const unsaved = dirty();
  const name = state.fileName || "新的事实表";
  $("#sheet-name").textContent = unsaved ? `${name}（有未保存的修改）` : name;
  $("#sheet-name").classList.toggle("unsaved", unsaved);
  document.title = (unsaved ? "● " : "") + "draftgen 工作台";
  if (state.pendingRecovery) return;
  try {
    if (unsaved && state.yaml) {
      localStorage.setItem(WORK_KEY, JSON.stringify({ yaml: state.yaml, fileName: state.fileName,
        version: state.version, at: new Date().toLocaleString("zh-CN") }));
    } else {
      localStorage.removeItem(WORK_KEY);
    }
  } catch (error) { /* a full or disabled storage: the marker and the prompts still guard the work */ }
}

// before anything that replaces the sheet in the page: the writer's say, when it holds unsaved work
function mayReplace() {
  return !dirty() || confirm("当前事实表有未保存的修改，继续会丢掉这些修改。\n要继续吗？（先点“取消”，再按 Ctrl+S 保存）");
}

function storedWork() {
  try {
    const work = JSON.parse(localStorage.getItem(WORK_KEY) || "null");
    return work && typeof work.yaml === "string" ? work : null;
  } catch (error) {
    return null;
  }
}

// after a reload or a crash: the working copy offered back, not thrown away
function offerRecovery(work) {
  const box = $("#recover");
  const restore = button("恢复这些修改", "", async () => {
    box.hidden = true;
    state.pendingRecovery = false;
    const file = work.fileName ? await api(`/api/files/${encodeURIComponent(work.fileName)}`) : null;
    const saved = file && file.ok ? { yaml: file.data.yaml, version: work.version || file.data.version } : null;
    await loadYaml(work.yaml, work.fileName, saved);
    if (saved) state.version = work.version || saved.version;  // a save checks the file did not change since
    status("已恢复上次未保存的修改，请核对后保存。");
  });
  const drop = button("不要了", "", () => {
    box.hidden = true;
    state.pendingRecovery = false;
    localStorage.removeItem(WORK_KEY);
    status("已丢弃上次未保存的修改。");
  });
  box.replaceChildren(element("span", { text: `发现上次没有保存的修改（${work.fileName || "新的事实表"}，${work.at || ""}）。` }),
                      restore, drop);
  box.hidden = false;
  restore.focus();
}

// -- files in the workspace ------------------------------------------------------------
async function listFiles(select) {
  const result = await api("/api/files");
  if (!result.ok) return;
  const menu = $("#open-sheet");
  menu.replaceChildren(element("option", { value: "", text: "（选择文件）" }));
  for (const file of result.data.files) menu.append(element("option", { value: file.name, text: file.name }));
  if (select) menu.value = select;
}

async function openFile(name) {
  const result = await api(`/api/files/${encodeURIComponent(name)}`);
  if (!result.ok) return status(errorText(result.data.errors));
  await loadYaml(result.data.yaml, name, { yaml: result.data.yaml, version: result.data.version });
}

// ``overwrite``: replace whatever is on disk; otherwise the file must be the version this
// page opened (the same file) or not exist yet (a new name)
async function save(name, overwrite) {
  const same = name === state.fileName && state.version;
  const headers = same && !overwrite ? { "If-Match": `"${state.version}"` } : {};
  const text = state.yaml;
  const result = await api(`/api/files/${encodeURIComponent(name)}`, { json: { yaml: text, overwrite }, headers });
  if (result.status === 409 && result.data.changed) return conflict(name);
  if (result.status === 409 && confirm(`“${name}”已存在，要覆盖吗？`)) return save(name, true);
  if (!result.ok) return status(errorText(result.data.errors));
  state.fileName = name;
  state.savedYaml = text;
  state.version = result.data.version;
  localStorage.setItem(LAST_KEY, name);
  remember();
  status(`已保存到工作文件夹：${name}`);
  await listFiles(name);
}

// the file changed on disk since this page opened it: the writer chooses, nothing is lost
function conflict(name) {
  const box = $("#recover");
  const reload = button("载入磁盘上的版本（放弃我的修改）", "", async () => {
    if (!confirm("您在这里的修改会丢掉。要载入磁盘上的版本吗？")) return;
    box.hidden = true;
    await openFile(name);
    status(`已载入“${name}”磁盘上的版本。`);
  });
  const keep = button("把我的修改另存为新文件", "", async () => {
    box.hidden = true;
    await saveAsCopy(name);
  });
  const overwrite = button("仍然覆盖", "", async () => {
    if (!confirm(`磁盘上“${name}”的那些修改会被覆盖。要覆盖吗？`)) return;
    box.hidden = true;
    await save(name, true);
  });
  box.replaceChildren(element("span", { text: `“${name}”在别处（另一个标签页或别的程序）改过了，和您打开时不一样。` }),
                      keep, reload, overwrite);
  box.hidden = false;
  keep.focus();
  status(`没有保存：“${name}”在别处改过了，请选择怎么办。`);
}

async function saveAsCopy(name) {
  const stem = name.replace(/\.ya?ml$/i, "");
  const taken = new Set([...$("#open-sheet").options].map((o) => o.value));
  let n = 1;
  let copy = `${stem}-我的修改.yaml`;
  while (taken.has(copy)) copy = `${stem}-我的修改${++n}.yaml`;
  state.version = null;
  await save(copy, false);
}

function saveAs() {
  let name = prompt("保存为（工作文件夹里的文件名）：", state.fileName || `${state.data.town || "事实表"}.yaml`);
  if (!name) return;
  name = name.trim();
  if (/[\\/:*?"<>|]|^\./.test(name)) {
    status(`文件名“${name}”不可用：只写文件名，不要写文件夹、斜杠或 : * ? " < > |，也不要以“.”开头。`);
    return;
  }
  if (!/\.ya?ml$/i.test(name)) name += ".yaml";
  save(name, false);
}

// -- documents -------------------------------------------------------------------------
function filenameOf(response, fallback) {
  const header = response.headers.get("content-disposition") || "";
  const match = header.match(/filename\*=UTF-8''([^;]+)/);
  return match ? decodeURIComponent(match[1]) : fallback;
}

async function download(response, fallback) {
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = element("a", { href: url, download: filenameOf(response, fallback) });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

async function downloadDocx() {
  const form = new FormData();
  form.append("facts", state.yaml);
  form.append("form", state.form || "");
  form.append("seed", "");  // the sheet's wording decides
  if (state.template) form.append("template", state.template);
  status("正在生成 DOCX……");
  const result = await api("/api/docx", { form });
  if (!result.ok) return status(errorText(result.data.errors));
  await download(result.response, "草稿.docx");
  status("DOCX 已下载。");
}

const SEVERITY = { error: "错误", warning: "警告", hint: "提示" };

// an edited draft sent to the server (check or update); the answer, or null with the box saying why
async function sendDraft(inputId, box, path, withFacts, missing, working) {
  const file = $(inputId).files[0];
  if (!file) {
    show(box, missing);
    return null;
  }
  const form = new FormData();
  form.append("file", file);
  if (withFacts) form.append("facts", state.yaml);
  show(box, working);
  const result = await api(path, { form });
  if (result.ok) return result;
  show(box, errorText(result.data.errors));
  return null;
}

async function checkDraft() {
  const box = $("#check-result");
  const result = await sendDraft("#check-file", box, "/api/check", $("#check-with-facts").checked,
                                 "请先选择要检查的稿子。", "正在检查……");
  if (!result) return;
  const { findings, paragraphs } = result.data;
  box.replaceChildren(element("p", { class: findings.length ? "" : "ok",
    text: findings.length ? `“${result.data.file}”有 ${findings.length} 处要看：` : `“${result.data.file}”没有发现问题。` }));
  const list = element("ul", { class: "findings" });
  const text = element("div", { class: "paragraphs", "aria-label": "稿子原文" });
  paragraphs.forEach((p) => text.append(element("p", { "data-paragraph": p.n, text: p.text })));
  for (const f of findings) {
    const item = element("li", { class: f.severity },
      element("strong", { text: SEVERITY[f.severity] || f.severity, title: f.rule }), " ", f.location, element("br"),
      `“${f.excerpt}” —— ${f.message}`);
    item.addEventListener("click", () => {
      text.querySelectorAll(".hit").forEach((n) => n.classList.remove("hit"));
      const target = f.paragraph == null ? null : text.querySelector(`[data-paragraph='${f.paragraph}']`);
      if (target) { target.classList.add("hit"); target.scrollIntoView({ block: "center" }); }
    });
    list.append(item);
  }
  box.append(list, text);
}

async function updateDraft() {
  const box = $("#update-result");
  const result = await sendDraft("#update-file", box, "/api/update", true, "请先选择改过的 DOCX 稿子。", "正在更新……");
  if (!result) return;
  const changes = JSON.parse(decodeURIComponent(result.response.headers.get("x-draftgen-changes") || "%5B%5D"));
  await download(result.response, "更新稿.docx");
  const names = { updated: "整段更新", figures: "更新数字", inserted: "新增", deleted: "删去", conflict: "需要人工处理" };
  box.replaceChildren(element("p", { class: "ok", text: `已下载更新稿，共 ${changes.length} 处改动（在 Word 里以修订显示）：` }));
  const list = element("ul", {});
  changes.forEach((c) => list.append(element("li", { text: `${names[c.kind] || c.kind}：${c.where} —— ${c.detail}` })));
  box.append(list);
}

async function importReport(inputElement, kind, town = null, decided = {}, chosen = null) {
  const file = chosen || inputElement.files[0];
  if (!file) return;
  const form = new FormData();
  form.append("kind", kind);
  if (kind === "table") {
    form.append("indicators", file);
    form.append("facts", state.yaml);
    form.append("decided", JSON.stringify(decided));
  } else {
    form.append("report", file);
  }
  if (town) form.append("town", town);
  status(`正在读取“${file.name}”……`);
  const result = await api("/api/import", { form });
  if (!result.ok && !town && /乡镇（街道）名称/.test(errorText(result.data.errors))) {
    const name = prompt("报告里没有读出乡镇（街道）名称，请填写：", "");
    if (name) return importReport(inputElement, kind, name, decided, file);
  }
  inputElement.value = "";
  if (!result.ok) return status(errorText(result.data.errors));
  if (kind === "table" && result.data.near.length) {
    // a row whose name is near an indicator's: the writer says whether it is the same one
    const said = { ...decided };
    for (const { name, existing } of result.data.near) {
      said[name] = confirm(`指标表里的“${name}”和事实表里已有的“${existing}”名称相近。\n是同一个指标吗？`
                           + `\n确定：用表里的数更新“${existing}”；取消：另加一行“${name}”。`) ? existing : "";
    }
    return importReport(inputElement, kind, town, said, file);
  }
  if (kind === "table") {
    const name = state.fileName;
    await loadYaml(result.data.yaml, name, name ? { yaml: state.savedYaml, version: state.version } : null);
    return status(`已把“${file.name}”的指标并入主要指标（注释里是所在的单元格），请核对后保存。`);
  }
  await loadYaml(result.data.yaml, null);
  status(`已从“${file.name}”读入；每个值后的注释是原文，请逐条核对后保存。`);
}

// -- phrase bank -----------------------------------------------------------------------
async function phraseMeta() {
  const result = await api("/api/phrases/meta");
  if (!result.ok) return;
  for (const select of [$("#phrase-role"), $("#phrase-add-role")]) {
    for (const [role, desc] of Object.entries(result.data.roles)) {
      select.append(element("option", { value: role, text: `${desc} · ${role}` }));
    }
  }
  $("#phrase-add-role").value = "measure";
  for (const select of [$("#phrase-topic"), $("#phrase-add-topic")]) {
    result.data.topics.forEach((t) => select.append(element("option", { value: t, text: t })));
  }
}

async function addPhrase() {
  const box = $("#phrase-add-result");
  const json = { text: $("#phrase-text").value, role: $("#phrase-add-role").value, topic: $("#phrase-add-topic").value || null };
  const result = await api("/api/phrases", { json });
  if (!result.ok) {
    box.className = "errors";  // not the green of the last success
    return show(box, errorText(result.data.errors));
  }
  box.hidden = false;
  box.className = "ok";
  box.textContent = `已添加 ${result.data.id} 到 phrasebank/${result.data.file}：${result.data.shown}`;
  $("#phrase-text").value = "";
  if (window.htmx) htmx.trigger("#phrase-filters", "change");
  await draft();
}

// -- start -----------------------------------------------------------------------------
function tabs() {
  document.querySelectorAll(".tabs button").forEach((b) => b.addEventListener("click", () => {
    document.querySelectorAll(".tabs button").forEach((o) => o.setAttribute("aria-selected", String(o === b)));
    document.querySelectorAll(".tab").forEach((t) => { t.hidden = t.id !== "tab-" + b.dataset.tab; });
  }));
}

async function start() {
  tabs();
  const result = await api("/api/spec");
  if (!result.ok) return status(errorText(result.data.errors));
  state.spec = result.data.spec;
  state.topics = result.data.topics;
  const forms = $("#draft-form");
  forms.append(element("option", { value: "", text: "按事实表（年度或半年）" }));
  for (const f of result.data.forms) forms.append(element("option", { value: f, text: result.data.form_names[f] || f }));
  forms.addEventListener("change", () => { state.form = forms.value; draft(); });
  $("#reword").addEventListener("click", () => {
    setAt(["wording"], (Number(state.data.wording) || 1) + 1);
    changed();
  });
  const fromYaml = () => {
    clearTimeout(state.timer);
    state.timer = setTimeout(syncFromYaml, 350);
  };
  $("#yaml-source").addEventListener("input", (e) => { if (!e.isComposing) fromYaml(); });
  $("#yaml-source").addEventListener("compositionend", fromYaml);
  $("#new-sheet").addEventListener("click", async () => {
    if (!mayReplace()) return status("没有新建：当前事实表的修改还在。");
    const town = (prompt("乡镇（街道）名称，如 青川镇：", "") || "").trim();
    if (!town) return status("没有新建：请填写乡镇（街道）名称。");
    const skeleton = await api(`/api/skeleton?town=${encodeURIComponent(town)}`);
    if (skeleton.ok) await loadYaml(skeleton.data.yaml, null, { yaml: skeleton.data.yaml, version: null });
  });
  $("#open-sheet").addEventListener("change", (e) => {
    if (!e.target.value) return;
    if (!mayReplace()) {
      e.target.value = state.fileName || "";
      return status("没有打开：当前事实表的修改还在。");
    }
    openFile(e.target.value);
  });
  $("#save-sheet").addEventListener("click", () => (state.fileName ? save(state.fileName, false) : saveAs()));
  $("#save-as").addEventListener("click", saveAs);
  document.addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === "s") {
      e.preventDefault();  // not the browser's 另存网页
      if (state.fileName) save(state.fileName, false); else saveAs();
    }
  });
  window.addEventListener("beforeunload", (e) => {
    if (!dirty()) return;
    e.preventDefault();
    e.returnValue = "";
  });
  // the file pickers dressed as buttons: reachable by Tab, opened by Enter or Space
  document.querySelectorAll("label.file-button").forEach((label) => {
    label.tabIndex = 0;
    label.setAttribute("role", "button");
    label.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        label.querySelector("input[type=file]").click();
      }
    });
  });
  document.querySelectorAll(".skip a").forEach((link) => link.addEventListener("click", (e) => {
    const target = document.querySelector(link.getAttribute("href"));
    if (!target) return;
    e.preventDefault();
    const focusable = target.matches("button, input, select, textarea, a") ? target
      : target.querySelector("button, input, select, textarea, a[href]") || target;
    if (focusable === target && !target.matches("button, input, select, textarea, a")) target.tabIndex = -1;
    focusable.focus();
  }));
  $("#import-report").addEventListener("change", (e) => (mayReplace() ? importReport(e.target, "extract") : null));
  $("#import-next").addEventListener("change", (e) => (mayReplace() ? importReport(e.target, "next") : null));
  $("#import-table").addEventListener("change", (e) => importReport(e.target, "table"));
  $("#download-docx").addEventListener("click", downloadDocx);
  $("#docx-template").addEventListener("change", (e) => {
    state.template = e.target.files[0] || null;
    $("#template-name").textContent = state.template ? state.template.name : "";
  });
  $("#check-run").addEventListener("click", checkDraft);
  $("#update-run").addEventListener("click", updateDraft);
  $("#phrase-add").addEventListener("click", addPhrase);
  const work = storedWork();
  state.pendingRecovery = Boolean(work);  // kept in storage until the writer says what to do with it
  await Promise.all([listFiles(), phraseMeta()]);
  const names = [...$("#open-sheet").options].map((o) => o.value).filter(Boolean);
  const last = localStorage.getItem(LAST_KEY);
  const first = names.includes(last) ? last : names[0];
  if (first) {
    await openFile(first);
  } else {
    const skeleton = await api("/api/skeleton");
    if (skeleton.ok) await loadYaml(skeleton.data.yaml, null, { yaml: skeleton.data.yaml, version: null });
  }
  if (work && work.yaml !== state.yaml) offerRecovery(work);
  else state.pendingRecovery = false;
}

document.addEventListener("DOMContentLoaded", start);
