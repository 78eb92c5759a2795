// The chat of the Commons page: conversations, streaming replies through the OpenAI-compatible API,
// feedback on each reply, and tool calls that wait for a yes. Plain browser JavaScript, no build step.
"use strict";

const $ = (selector) => document.querySelector(selector);

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

function say(text, isError = false) {
  const status = $("#status");
  status.textContent = text;
  status.classList.toggle("error", isError);
}

// Every call to the page's own endpoints: JSON both ways; a refusal is the server's one sentence.
async function api(method, path, body) {
  const response = await authorizedFetch(path, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new Error(data?.error?.message ?? `${method} ${path} failed (${response.status}).`);
  return data;
}

async function attempt(action) {
  try {
    await action();
  } catch (error) {
    say(error.message, true);
  }
}

// ---- views ----------------------------------------------------------------------------------

const views = {};

function showView(name) {
  document.body.dataset.view = name;
  for (const button of document.querySelectorAll("nav [data-view]")) {
    if (button.dataset.view === name) button.setAttribute("aria-current", "page");
    else button.removeAttribute("aria-current");
  }
  for (const section of document.querySelectorAll("main > .view")) section.hidden = section.id !== `view-${name}`;
  const heading = $(`#view-${name} h2[tabindex]`) ?? $(`#view-${name} h2`);
  if (name !== "chat") heading?.focus();
  say("");
  // data-loaded says the view shows what the server has (tests and scripts wait for it).
  delete document.body.dataset.loaded;
  return attempt(() => (views[name] ? views[name]() : Promise.resolve()))
    .finally(() => { if (document.body.dataset.view === name) document.body.dataset.loaded = name; });
}

// ---- conversations --------------------------------------------------------------------------

const chat = { busy: false, controller: null, forms: 0 };

async function loadConversations() {
  const conversations = await api("GET", "/api/conversations");
  const list = $("#conversation-list");
  list.replaceChildren(...conversations.map((c) => el("li", {},
    el("button", {
      type: "button", "aria-current": c.isCurrent ? "true" : null, title: c.title,
      text: `${c.title || "New conversation"} (${c.turnCount})`,
      onclick: () => attempt(() => openConversation(c.id)),
    }))));
}

function showTurns({ conversation, turns }) {
  const messages = $("#messages");
  messages.replaceChildren();
  for (const turn of turns) {
    messages.append(userMessage(turn.message));
    const reply = replyMessage();
    setReplyHtml(reply, turn.replyHtml);
    if (turn.interrupted) reply.querySelector(".who").textContent = "commons (stopped)";
    // Each reply the agent learned from takes feedback, named by its conversation and position.
    if (turn.learned) addFeedback(reply, `/api/conversations/${encodeURIComponent(conversation)}/turns/${turn.index}/feedback`);
    messages.append(reply);
  }
  messages.scrollTop = messages.scrollHeight;
}

async function openConversation(id) {
  showTurns(await api("POST", `/api/conversations/${encodeURIComponent(id)}/open`));
  await loadConversations();
  $("#message").focus();
}

async function newConversation() {
  await api("POST", "/api/conversations");
  showTurns({ conversation: null, turns: [] });
  await loadConversations();
  $("#message").focus();
}

views.chat = async () => {
  const turns = await api("GET", "/api/conversations/current");
  // A message sent while the view was loading is on screen already: keep it.
  if (!chat.busy) showTurns(turns);
  await loadConversations();
};

// ---- messages and streaming -----------------------------------------------------------------

function userMessage(text) {
  return el("li", { class: "message user" }, el("div", { class: "who", text: "you" }), el("div", { class: "text", text }));
}

function replyMessage() {
  return el("li", { class: "message assistant" }, el("div", { class: "who", text: "commons" }), el("div", { class: "text" }));
}

// The HTML comes from the server's Markdown renderer, which escapes any HTML in the reply.
function setReplyHtml(reply, html) {
  const text = reply.querySelector(".text");
  text.innerHTML = html;
  text.classList.add("markdown");
}

async function render(reply, markdown) {
  const { html } = await api("POST", "/api/markdown", { text: markdown });
  setReplyHtml(reply, html);
}

// While a reply streams it is shown as Markdown too, rendered by the same server renderer: one rendering
// at a time, and the text that arrived meanwhile goes into the next one.
function liveMarkdown(reply) {
  let latest = null;
  let running = null;
  const pump = async () => {
    while (latest !== null) {
      const text = latest;
      latest = null;
      try {
        const { html } = await api("POST", "/api/markdown", { text });
        if (reply.dataset.state === "streaming") setReplyHtml(reply, html);
      } catch {
        if (reply.dataset.state === "streaming") reply.querySelector(".text").textContent = text;
      }
    }
  };
  const start = () => {
    running = pump().finally(() => {
      running = null;
      if (latest !== null) start();
    });
  };
  return {
    update(text) {
      latest = text;
      if (!running) start();
    },
    async stop() {
      latest = null;
      while (running) await running;
    },
  };
}

// Server-sent events from /v1/chat/completions: `data: {chunk}` lines, then `data: [DONE]`.
async function* completionChunks(response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, end).trim();
      buffer = buffer.slice(end + 1);
      if (!line.startsWith("data:")) continue;
      const data = line.slice(5).trim();
      if (data === "[DONE]") return;
      yield JSON.parse(data);
    }
  }
}

async function send(text) {
  const messages = $("#messages");
  messages.append(userMessage(text));
  const reply = replyMessage();
  reply.dataset.state = "streaming";
  messages.append(reply);
  messages.scrollTop = messages.scrollHeight;
  const live = liveMarkdown(reply);
  let content = "";

  chat.busy = true;
  chat.controller = new AbortController();
  $("#send").disabled = true;
  $("#stop").hidden = false;
  const watching = watchToolCalls();
  try {
    const response = await authorizedFetch("/v1/chat/completions", {
      method: "POST",
      // The conversation `commons chat` is in, which the list marks and /open or "New conversation" changes.
      headers: { "Content-Type": "application/json", "X-Commons-Conversation": "current" },
      signal: chat.controller.signal,
      body: JSON.stringify({
        model: $("#model").value || undefined,
        messages: [{ role: "user", content: text }],
        stream: true,
        stream_options: { include_usage: true },
      }),
    });
    if (!response.ok) {
      const error = await response.json().catch(() => null);
      throw new Error(error?.error?.message ?? `The reply failed (${response.status}).`);
    }
    for await (const chunk of completionChunks(response)) {
      if (chunk.id) reply.dataset.replyId = chunk.id;
      if (chunk.model && reply.dataset.model !== chunk.model) {
        reply.dataset.model = chunk.model;
        reply.querySelector(".who").textContent = `commons · ${chunk.model}`;
      }
      const piece = chunk.choices?.[0]?.delta?.content;
      if (piece) {
        content += piece;
        live.update(content);
        messages.scrollTop = messages.scrollHeight;
      }
    }
    await live.stop();
    reply.dataset.state = "done";
    await render(reply, content);
    // The completion id names the reply (POST /api/feedback, as any client of the API gives feedback).
    addFeedback(reply, "/api/feedback", reply.dataset.replyId);
  } catch (error) {
    reply.dataset.state = "stopped";
    reply.querySelector(".who").textContent = "commons (stopped)";
    if (error.name !== "AbortError") say(error.message, true);
    // What had arrived stays on screen, all of it rendered.
    await live.stop();
    if (content) await attempt(() => render(reply, content));
  } finally {
    chat.busy = false;
    chat.controller = null;
    $("#send").disabled = false;
    $("#stop").hidden = true;
    await watching.stop();
    await attempt(loadConversations);
  }
}

// ---- feedback on a reply --------------------------------------------------------------------

function addFeedback(reply, path, completionId) {
  const bar = el("div", { class: "feedback" });
  const thanks = (text) => bar.replaceChildren(el("span", { class: "thanks", text }));
  const give = (kind, correction) => attempt(async () => {
    await api("POST", path, { id: completionId, kind, text: correction ?? null });
    thanks(kind === "good" ? "Thanks, noted." : kind === "fix"
      ? "Thanks, noted as a playbook entry; it will be used when this comes up again."
      : "Thanks, noted; the advice used for that reply counts for less now.");
  });
  const fixForm = () => {
    const box = el("textarea", { id: `fix-${++chat.forms}`, rows: 2 });
    const form = el("form", { class: "fix-form", onsubmit: (e) => {
      e.preventDefault();
      give(box.value.trim() ? "fix" : "bad", box.value.trim() || null);
    } },
      el("label", { for: box.id, text: "What should have happened? (optional)" }),
      box,
      el("div", {}, el("button", { type: "submit", text: "Send feedback" })));
    bar.replaceChildren(form);
    box.focus();
  };
  bar.append(
    el("button", { type: "button", "aria-label": "Good reply", title: "Good reply", text: "✓ Good", onclick: () => give("good") }),
    el("button", { type: "button", "aria-label": "Bad reply", title: "Bad reply", text: "✗ Bad…", onclick: fixForm }));
  reply.append(bar);
}

// ---- tool calls that wait for a yes ---------------------------------------------------------

const answered = new Set();

function showToolCalls(waiting, finished) {
  const box = $("#tool-calls");
  const shown = new Set([...box.querySelectorAll("[data-call]")].map((n) => n.dataset.call));
  for (const call of waiting) {
    if (shown.has(call.id) || answered.has(call.id)) continue;
    const answer = (allow) => attempt(async () => {
      answered.add(call.id);
      await api("POST", `/api/tools/${encodeURIComponent(call.id)}/${allow ? "allow" : "deny"}`);
      card.remove();
      $("#message").focus();
    });
    const card = el("div", { class: "tool-call", role: "alertdialog", "aria-labelledby": `${call.id}-title`, "data-call": call.id },
      el("strong", { id: `${call.id}-title`, text: `The agent wants to run ${call.tool}. Allow this?` }),
      el("pre", { text: call.arguments }),
      el("div", { class: "actions" },
        el("button", { type: "button", class: "approve", text: "Allow", onclick: () => answer(true) }),
        el("button", { type: "button", class: "deny", text: "Deny", onclick: () => answer(false) })));
    box.append(card);
    card.querySelector(".approve").focus();
  }
  for (const node of box.querySelectorAll("[data-call]")) {
    if (!waiting.some((c) => c.id === node.dataset.call)) node.remove();
  }
  for (const call of finished) {
    if (call.sequence <= chat.lastFinished) continue;
    chat.lastFinished = call.sequence;
    if (!chat.busy) continue;
    const result = el("div", { class: "tool-result", "data-tool": call.tool, "data-status": call.status,
      text: `tool ${call.tool} ${call.status}: ${call.result ?? ""}` });
    $("#messages .message.assistant:last-child")?.append(result);
  }
}

async function pollToolCalls() {
  const { waiting, finished } = await api("GET", "/api/tools");
  showToolCalls(waiting, finished);
}

function watchToolCalls() {
  let running = true;
  const loop = (async () => {
    while (running) {
      await attempt(pollToolCalls);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  })();
  return { stop: async () => { running = false; await loop; await attempt(pollToolCalls); } };
}

// ---- start ----------------------------------------------------------------------------------

// The installed models (`commons model list`), the one in use selected. Choosing another loads it in the
// running serve, for every client (the API's `model` field goes through the same choice).
async function loadModels() {
  const select = $("#model");
  const { embedder, installed, current, switchable } = await api("GET", "/api/models");
  if (!switchable) {
    // A remote model (Model:Endpoint): the one /v1/models names is the only choice.
    const { data } = await authorizedFetch("/v1/models").then((r) => r.json());
    const serving = data.map((m) => m.id).filter((id) => id !== embedder);
    select.replaceChildren(...serving.map((id) => el("option", { value: id, text: id })));
    return;
  }
  select.replaceChildren(...installed.map((name) => el("option", { value: name, text: name, selected: name === current })));
}

async function chooseModel(name) {
  const select = $("#model");
  select.disabled = true;
  say(`Loading ${name}…`);
  try {
    const { current } = await api("POST", "/api/models/current", { name });
    say(`${current} is in use.`);
  } finally {
    select.disabled = false;
    await attempt(loadModels);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  chat.lastFinished = 0;
  for (const button of document.querySelectorAll("nav [data-view]")) {
    button.addEventListener("click", () => showView(button.dataset.view));
  }
  $("#model").addEventListener("change", (e) => attempt(() => chooseModel(e.target.value)));
  $("#new-conversation").addEventListener("click", () => attempt(newConversation));
  const box = $("#message");
  $("#composer").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = box.value.trim();
    if (!text || chat.busy) return;
    box.value = "";
    send(text);
  });
  box.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      $("#composer").requestSubmit();
    }
  });
  $("#stop").addEventListener("click", () => chat.controller?.abort());
  attempt(loadModels);
  attempt(refreshShareBadge);
  // A call from another client (an OpenAI library using the agent's tools) waits for a yes here too.
  setInterval(() => { if (!chat.busy) attempt(pollToolCalls); }, 2000);
  showView("chat");
  box.focus();
});
