// The other views of the Commons page: the playbook, imported insights, share review with the
// privacy budget, and pools. Loaded after app.js, whose helpers (el, api, attempt, say) it uses.
"use strict";

const percent = (value) => (value === null || value === undefined ? "-" : `${Math.round(value * 100)}%`);

// ---- playbook -------------------------------------------------------------------------------

function entryCard(entry) {
  const what = [entry.advice, entry.action ? `→ ${entry.action}` : ""].filter(Boolean).join(" ");
  const card = el("li", { class: `card${entry.status === "retired" ? " retired" : ""}`, "data-entry": entry.id },
    el("div", { class: "meta", text: `${entry.id} · ${entry.origin} · ${entry.status} · worked ${entry.successes}, failed ${entry.failures} · used ${entry.uses}` }),
    el("div", {}, el("strong", { text: "When: " }), entry.situation),
    el("div", { class: "advice" }, el("strong", { text: "Do: " }), what));
  if (entry.source) card.append(el("div", { class: "meta", text: `from ${entry.source}` }));
  if (entry.status !== "retired") {
    card.append(el("div", { class: "actions" },
      el("button", { type: "button", text: "Edit", "aria-label": `Edit entry ${entry.id}`, onclick: () => editEntry(card, entry) }),
      el("button", { type: "button", class: "deny", text: "Retire", "aria-label": `Retire entry ${entry.id}`,
        onclick: () => attempt(async () => { await api("POST", `/api/playbook/${entry.id}/retire`); say(`Entry ${entry.id} retired.`); await views.playbook(); }) })));
  }
  return card;
}

function editEntry(card, entry) {
  const advice = el("input", { id: `edit-advice-${entry.id}`, value: entry.advice });
  const action = el("input", { id: `edit-action-${entry.id}`, value: entry.action ?? "" });
  const form = el("form", { class: "edit-form", onsubmit: (e) => {
    e.preventDefault();
    attempt(async () => {
      await api("PUT", `/api/playbook/${entry.id}`, { advice: advice.value, action: action.value });
      say(`Entry ${entry.id} changed.`);
      await views.playbook();
    });
  } },
    el("label", { for: advice.id, text: "Do (advice)" }), advice,
    el("label", { for: action.id, text: "Action" }), action,
    el("div", { class: "actions" },
      el("button", { type: "submit", class: "primary", text: "Save" }),
      el("button", { type: "button", text: "Cancel", onclick: () => views.playbook() })));
  card.querySelector(".actions").replaceWith(form);
  advice.focus();
}

views.playbook = async () => {
  const retired = $("#show-retired").checked;
  const entries = await api("GET", `/api/playbook?retired=${retired}`);
  const list = $("#entries");
  list.replaceChildren(...entries.map(entryCard));
  if (entries.length === 0) list.append(el("li", { class: "meta", text: "Nothing learned yet: give feedback in the chat, or add an entry." }));
};

// ---- imported insights ----------------------------------------------------------------------

views.insights = async () => {
  const insights = await api("GET", "/api/insights");
  const list = $("#insights");
  list.replaceChildren(...insights.map(({ review, entry }) => {
    const decide = (decision) => attempt(async () => {
      const result = await api("POST", `/api/insights/${review.entryId}/${decision}`);
      say(result.message);
      await views.insights();
    });
    return el("li", { class: "card", "data-insight": review.entryId },
      el("div", { class: "meta", text: `${review.entryId} · ${review.decision} · from ${review.pool}` }),
      entry ? el("div", {}, el("strong", { text: "When: " }), entry.situation) : null,
      entry ? el("div", {}, el("strong", { text: "Do: " }), [entry.advice, entry.action ? `→ ${entry.action}` : ""].filter(Boolean).join(" ")) : null,
      el("div", {}, el("strong", { text: "Why: " }), review.reason),
      el("div", { class: "meta", text: `insight value ${percent(review.insightValue)} (${percent(review.insightLower)} to ${percent(review.insightUpper)}), current ${percent(review.currentValue)}, trials ${review.trials} (${review.trialSuccesses} worked)` }),
      el("div", { class: "actions" },
        el("button", { type: "button", text: "Adopt", onclick: () => decide("adopt") }),
        el("button", { type: "button", class: "deny", text: "Reject", onclick: () => decide("reject") })));
  }));
  if (insights.length === 0) list.append(el("li", { class: "meta", text: "Nothing imported from a pool yet." }));
};

// ---- share review ---------------------------------------------------------------------------

function showBudget(summary) {
  const budget = summary.dailyEpsilonBudget === null ? "?" : summary.dailyEpsilonBudget;
  $("#budget").textContent = `privacy budget today: ε ${summary.epsilonSpentToday} of ${budget}`;
  const badge = $("#share-count");
  badge.textContent = summary.awaitingApproval;
  badge.hidden = summary.awaitingApproval === 0;
}

async function refreshShareBadge() {
  const { summary } = await api("GET", "/api/share");
  showBudget(summary);
}

function itemCard(item, waiting) {
  const card = el("li", { class: "card", "data-item": item.id },
    el("div", { class: "meta", text: `${item.kind} · ${item.topic} · from ${item.source}` }),
    el("div", { text: item.note }));
  for (const copy of item.copies) {
    card.append(el("div", { text: copy.pool
      ? `Exactly these ${copy.bytes} bytes would leave for ${copy.pool}:`
      : `No pool is joined yet; signed with your contributor key, these ${copy.bytes} bytes would leave (each pool you join gets them signed with its own member key):` }));
    card.append(el("pre", { class: "bytes", "data-pool": copy.pool ?? "", text: copy.json }));
  }
  if (waiting) {
    const decide = (decision) => attempt(async () => {
      const result = await api("POST", `/api/share/${item.id}/${decision}`);
      say(result.message);
      await loadShare();
    });
    card.append(el("div", { class: "actions" },
      el("button", { type: "button", class: "approve", text: "Approve", "aria-label": `Approve ${item.id.slice(0, 12)}`, onclick: () => decide("approve") }),
      el("button", { type: "button", class: "deny", text: "Deny", "aria-label": `Deny ${item.id.slice(0, 12)}`, onclick: () => decide("deny") })));
  }
  return card;
}

async function loadShare() {
  const { summary, awaiting, outbox } = await api("GET", "/api/share");
  showBudget(summary);
  const facts = [
    ["policy", summary.policyId ? `${summary.policyId} (sha256 ${summary.policyHash.slice(0, 12)}…)` : `none in force, nothing leaves (${summary.policyProblem})`],
    ["privacy budget spent today", `ε ${summary.epsilonSpentToday} of ${summary.dailyEpsilonBudget ?? "?"}`],
    ["waiting for approval", summary.awaitingApproval],
    ["ready to deliver", summary.readyToDeliver],
    ["delivered", summary.delivered],
    ["denied", summary.denied],
  ];
  $("#share-summary").replaceChildren(...facts.flatMap(([name, value]) => [el("dt", { text: name }), el("dd", { text: String(value) })]));
  const waiting = $("#awaiting");
  waiting.replaceChildren(...awaiting.map((item) => itemCard(item, true)));
  if (awaiting.length === 0) waiting.append(el("li", { class: "meta", text: "Nothing waits for your approval." }));
  const ready = $("#outbox");
  ready.replaceChildren(...outbox.map((item) => itemCard(item, false)));
  if (outbox.length === 0) ready.append(el("li", { class: "meta", text: "The outbox is empty." }));
}

// Opening the review runs what was learned through the privacy pipeline first, as `commons share review` does.
views.share = async () => {
  try {
    const preparation = await api("POST", "/api/share/prepare");
    if (preparation.candidates > 0) say(`${preparation.candidates} new candidate(s): ${preparation.queued.length} prepared, ${preparation.refusals.length} refused.`);
  } finally {
    await loadShare();
  }
};

// ---- pools ----------------------------------------------------------------------------------

function showPools({ pools, lastSync }) {
  $("#last-sync").textContent = lastSync ? `Last sync: ${new Date(lastSync).toLocaleTimeString()}` : "No sync has run since commons serve started.";
  const list = $("#pools");
  list.replaceChildren(...pools.map((p) => el("li", { class: "card", "data-pool": p.url },
    el("strong", { text: p.url }),
    el("div", { class: "meta", text: `sent ${p.sent}, waiting ${p.waiting}, refused ${p.refused}, reports sent ${p.reportsSent}, received ${p.received}` }),
    p.problem ? el("div", { class: "deny", text: p.problem }) : null)));
  if (pools.length === 0) list.append(el("li", { class: "meta", text: "No pools joined (commons pool join URL --invite TOKEN)." }));
}

views.pools = async () => showPools(await api("GET", "/api/pools"));

document.addEventListener("DOMContentLoaded", () => {
  $("#show-retired").addEventListener("change", () => attempt(views.playbook));
  $("#add-entry").addEventListener("submit", (e) => {
    e.preventDefault();
    attempt(async () => {
      const entry = await api("POST", "/api/playbook", {
        situation: $("#add-situation").value, advice: $("#add-advice").value, action: $("#add-action").value,
      });
      e.target.reset();
      say(`Added entry ${entry.id}.`);
      await views.playbook();
    });
  });
  $("#sync-now").addEventListener("click", (e) => attempt(async () => {
    e.target.disabled = true;
    say("Syncing…");
    try {
      showPools(await api("POST", "/api/pools/sync"));
      say("Sync finished.");
    } finally {
      e.target.disabled = false;
    }
  }));
});
